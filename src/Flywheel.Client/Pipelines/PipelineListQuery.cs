using Flywheel.Contracts.Pipelines;

namespace Flywheel.Client.Pipelines;

/// <summary>Which pipeline runs to list; every filter optional.</summary>
public sealed record PipelineListQuery
{
    /// <summary>The orchestration's name, such as <c>TrainingOrchestration</c>.</summary>
    public string? Name { get; init; }

    public IReadOnlyList<PipelineRuntimeStatus> Statuses { get; init; } = [];

    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public int? PageSize { get; init; }
}
