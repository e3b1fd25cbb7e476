namespace Flywheel.Contracts.Monitoring;

/// <summary>One row of a model's monitoring history.</summary>
public sealed record MonitoringSummary(
    string Id,
    string Model,
    int Version,
    MonitoringTrigger Trigger,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset Created,
    DriftVerdict Verdict,
    long Rows,
    int Columns,
    int DriftedColumns,
    double Share,
    bool PredictionDrift,
    int QualityIssues,
    bool Headline = true,
    double? TrafficShare = null);

/// <summary>The data of the drift-detected event Flywheel publishes (Event Grid, CloudEvents).</summary>
public sealed record DriftDetectedEvent(string Model, int Version, string ReportId, DateTimeOffset From, DateTimeOffset To, double Share, IReadOnlyList<string> DriftedColumns, DriftVerdict? PreviousVerdict);
