namespace Flywheel.Contracts.Monitoring;

/// <summary>How many live requests a version answered in a window, and its share of the model's.</summary>
public sealed record VersionTraffic(int Version, long Requests, double Share);
