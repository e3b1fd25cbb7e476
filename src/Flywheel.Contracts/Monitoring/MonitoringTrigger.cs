using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Monitoring;

/// <summary>What started a model monitoring run; stored as this text in the reports table.</summary>
public enum MonitoringTrigger
{
    /// <summary>The monitoring schedule (the model's cron, else the host's).</summary>
    Schedule,

    /// <summary>A <c>POST api/models/{name}/drift/run</c>.</summary>
    [JsonStringEnumMemberName("on-demand")]
    OnDemand,
}
