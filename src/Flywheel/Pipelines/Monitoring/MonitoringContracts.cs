using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Models;

namespace Flywheel.Pipelines.Monitoring;

/// <summary>One scheduled run: the model, the window's end (the schedule's occurrence) and the report id derived from it.</summary>
/// <param name="Version">The version to monitor; null for the model's default (the champion, else the latest).</param>
public sealed record MonitoringStart(string Model, DateTimeOffset WindowEnd, string ReportId, int FeatureGroupSize, int ActivityAttempts = 3, int? Version = null);

public sealed record FeatureGroupWork(MonitoringPlan Plan, IReadOnlyList<MonitoredColumn> Group);

public sealed record FinishMonitoringWork(MonitoringPlan Plan, IReadOnlyList<FeatureGroupResult> Groups, OutputResult Outputs);

/// <summary>What a monitoring run returns: the stored report and its verdict.</summary>
public sealed record MonitoringOutcome(string Model, int Version, string ReportId, DriftVerdict Verdict, double Share, DateTimeOffset From, DateTimeOffset To)
{
    public static MonitoringOutcome Of(ModelMonitoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Model, report.Version, report.Id, report.Verdict, report.Inputs.Share, report.Inputs.Current.From!.Value, report.Inputs.Current.To!.Value);
    }
}
