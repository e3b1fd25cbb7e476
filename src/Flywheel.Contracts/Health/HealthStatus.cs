using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Health;

/// <summary>
/// Whether every dependency answered a health probe; a load balancer reads the status code, a person
/// this. It names its own converter because the health answer is written with the host's default
/// options, which have no enum converter.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthStatus>))]
public enum HealthStatus
{
    /// <summary>Every storage service answered (200).</summary>
    [JsonStringEnumMemberName("healthy")]
    Healthy,

    /// <summary>At least one did not; the checks name it (503).</summary>
    [JsonStringEnumMemberName("unhealthy")]
    Unhealthy,
}
