namespace Flywheel.Contracts.Monitoring;

/// <summary>
/// A model monitoring report: the version and window, input drift (Evidently's tests, dataset drift at
/// the 0.5 share), prediction drift, data quality, performance and its estimate, and the verdict:
/// "drift" when the inputs drifted or a prediction column did, "no-drift", or "not-enough-data".
/// </summary>
public sealed record ModelMonitoringReport(
    string Id,
    string Model,
    int Version,
    MonitoringTrigger Trigger,
    DateTimeOffset Created,
    DriftVerdict Verdict,
    DriftReport Inputs,
    IReadOnlyList<ColumnDrift> Prediction,
    IReadOnlyList<ColumnQuality> Quality,
    PerformanceResult? Performance,
    PerformanceEstimate? Estimate,
    IReadOnlyList<string> Notes,
    IReadOnlyList<VersionTraffic>? Traffic = null,
    bool Headline = true)
{
    public bool Drifted => Verdict == DriftVerdict.Drift;
}
