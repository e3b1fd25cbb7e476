using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Training;

/// <summary>What a training pipeline did with its candidate, as its output and report name it.</summary>
public enum PromotionOutcome
{
    /// <summary>The candidate is now the champion (it passed the gate, or was approved).</summary>
    Promoted,

    /// <summary>Registered but not promoted: it did not pass the gate.</summary>
    [JsonStringEnumMemberName("not-promoted")]
    NotPromoted,

    /// <summary>Registered but not promoted: the approval said no, or did not come in time.</summary>
    Rejected,

    /// <summary>Registered only: the request's promotion is <c>never</c>.</summary>
    Registered,
}
