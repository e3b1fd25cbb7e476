using System.ComponentModel.DataAnnotations;

namespace Flywheel.Pipelines;

/// <summary>Limits of the pipelines (section <c>Flywheel:Pipelines</c>).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Flywheel:Pipelines";

    /// <summary>Chunks of one batch scoring run in flight at once (spread over instances in Azure, over cores locally).</summary>
    [Range(1, 64)]
    public int BatchParallelism { get; set; } = 4;

    /// <summary>Training trials in flight at once (each fit uses every core it is given, so a few suffice).</summary>
    [Range(1, 64)]
    public int TrainingParallelism { get; set; } = 2;

    /// <summary>At most this many chunks per run: every chunk is a history event the orchestration replays.</summary>
    [Range(1, 10_000)]
    public int MaxChunks { get; set; } = 1_000;

    /// <summary>Attempts per activity before a run fails (storage hiccups are retried; a bad row fails every attempt).</summary>
    [Range(1, 10)]
    public int ActivityAttempts { get; set; } = 3;
}
