using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Monitoring;

/// <summary>A model monitoring report's verdict; stored as this text in the reports table and sent in drift events.</summary>
public enum DriftVerdict
{
    /// <summary>The inputs drifted (dataset drift, or a key feature), or a prediction column did.</summary>
    Drift,

    /// <summary>Enough rows, and nothing drifted.</summary>
    [JsonStringEnumMemberName("no-drift")]
    NoDrift,

    /// <summary>Fewer rows in the window than the settings' minimum: no verdict on drift.</summary>
    [JsonStringEnumMemberName("not-enough-data")]
    NotEnoughData,
}
