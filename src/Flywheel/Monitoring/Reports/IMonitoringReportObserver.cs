using Flywheel.Contracts.Monitoring;

namespace Flywheel.Monitoring.Reports;

/// <summary>Told of each monitoring report once it is stored: where retraining learns of drift.</summary>
public interface IMonitoringReportObserver
{
    /// <summary>Runs after the report is stored; a failure here must not fail the monitoring run, so implementations keep their own errors.</summary>
    Task ReportSavedAsync(ModelMonitoringReport report, CancellationToken cancellationToken);
}
