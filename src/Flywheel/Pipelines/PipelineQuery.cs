using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;

namespace Flywheel.Pipelines;

/// <summary>A page of <c>GET api/pipelines</c>; every filter optional. <see cref="Statuses"/> hold names from <see cref="RuntimeStatuses"/>, which both engines parse into their own enums.</summary>
public sealed record PipelineQuery(string? Name, IReadOnlyList<string> Statuses, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int PageSize, string? ContinuationToken)
{
    /// <summary>The runtime statuses both engines name alike (Microsoft.DurableTask's and DurableTask.Core's enums), in <see cref="PipelineRuntimeStatus"/>'s order.</summary>
    public static IReadOnlyList<string> RuntimeStatuses { get; } = [.. Enum.GetValues<PipelineRuntimeStatus>().Select(WireNames.Of)];
}
