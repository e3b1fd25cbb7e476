using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Pipelines;

/// <summary>
/// A pipeline's runtime status, spelt (PascalCase) as Durable Functions' HTTP API and both engines'
/// enums spell it, so a Durable client reads Flywheel's answers unchanged. The declaration order is
/// the order the API lists them in.
/// </summary>
public enum PipelineRuntimeStatus
{
    /// <summary>Scheduled, not started yet.</summary>
    [JsonStringEnumMemberName("Pending")]
    Pending,

    /// <summary>Started and not finished.</summary>
    [JsonStringEnumMemberName("Running")]
    Running,

    /// <summary>Paused; it can resume.</summary>
    [JsonStringEnumMemberName("Suspended")]
    Suspended,

    /// <summary>Finished; the output is the result.</summary>
    [JsonStringEnumMemberName("Completed")]
    Completed,

    /// <summary>Restarted itself with new input.</summary>
    [JsonStringEnumMemberName("ContinuedAsNew")]
    ContinuedAsNew,

    /// <summary>Finished with a failure.</summary>
    [JsonStringEnumMemberName("Failed")]
    Failed,

    /// <summary>Canceled.</summary>
    [JsonStringEnumMemberName("Canceled")]
    Canceled,

    /// <summary>Terminated through the API.</summary>
    [JsonStringEnumMemberName("Terminated")]
    Terminated,
}
