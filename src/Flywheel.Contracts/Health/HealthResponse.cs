namespace Flywheel.Contracts.Health;

/// <summary>The body of <c>GET api/health</c>.</summary>
public sealed record HealthResponse(HealthStatus Status, IReadOnlyDictionary<string, string> Checks, string Version);
