using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Drift;

namespace Flywheel.Monitoring.Models;

/// <summary>One monitored input: its kind and the drift method it gets ("auto" for Evidently's choice).</summary>
public sealed record MonitoredColumn(string Name, bool Numerical, string Method);

/// <summary>
/// Everything one monitoring run needs, resolved once; small enough to travel through an
/// orchestration's history. <see cref="Inputs"/> are the columns the model takes by name (to score
/// reference rows); <see cref="Registered"/> the version's registered (test) metrics; <see cref="Traffic"/>
/// every version that answered live requests in the window with its share; <see cref="Headline"/> is
/// true for the model's default version (the champion, else the latest), whose report the model's
/// latest report is; <see cref="KeyFeatures"/> the inputs whose drift alone is drift (the most
/// important by the training record); <see cref="Slice"/> the reference rows a rolling reference keeps.
/// </summary>
public sealed record MonitoringPlan(
    string ReportId,
    MonitoringTrigger Trigger,
    string Model,
    int Version,
    string? Sha256,
    MonitoringReference Reference,
    DriftSide ReferenceSide,
    DateTimeOffset From,
    DateTimeOffset To,
    int MinRows,
    double? Threshold,
    IReadOnlyList<MonitoredColumn> Features,
    IReadOnlyDictionary<string, string> Skipped,
    IReadOnlyList<string>? FeatureNames,
    IReadOnlyList<string> Inputs,
    IReadOnlyDictionary<string, double> Registered,
    IReadOnlyList<VersionTraffic>? Traffic = null,
    bool Headline = true,
    double DriftShare = Drift.DriftDetection.DriftShare,
    IReadOnlyList<string>? KeyFeatures = null,
    int? TopCategories = MonitoringSettings.DefaultTopCategories,
    ReferenceSlice? Slice = null)
{
    /// <summary>The features in groups of at most <paramref name="size"/>, each compared by one activity.</summary>
    public IReadOnlyList<IReadOnlyList<MonitoredColumn>> Groups(int size) => [.. Features.Chunk(Math.Max(1, size)).Select(g => (IReadOnlyList<MonitoredColumn>)g)];
}

/// <summary>One feature group's verdicts: drift (none below minRows), data quality, and columns left out with why.</summary>
public sealed record FeatureGroupResult(long Rows, IReadOnlyList<ColumnDrift> Drift, IReadOnlyList<ColumnQuality> Quality, IReadOnlyDictionary<string, string> Skipped);

/// <summary>The answers' side: prediction drift, measured performance (feedback) and the estimate without labels.</summary>
public sealed record OutputResult(long Rows, IReadOnlyList<ColumnDrift> Drift, PerformanceResult? Performance, PerformanceEstimate? Estimate, IReadOnlyList<string> Notes);
