namespace Flywheel.Contracts.Training;

/// <summary>One metric of one registered version, for <c>GET api/models/{name}/metrics</c>.</summary>
public sealed record VersionMetric(int Version, double Value, DateTimeOffset Created, string? RunId);

/// <summary>Each metric across a model's registered versions (oldest first), the comparison MLflow users ask for.</summary>
public sealed record ModelMetrics(string Model, IReadOnlyDictionary<string, IReadOnlyList<VersionMetric>> Metrics);
