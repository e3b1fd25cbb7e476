using Flywheel.Monitoring.Models;
using Flywheel.Monitoring.Reports;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Monitoring;

/// <summary>Assembles and stores the report (a retry overwrites the same id), records the gauges and raises DriftDetected on a change to drift.</summary>
public sealed class FinishModelMonitoring(ModelMonitor monitor, MonitoringReports reports) : TaskActivity<FinishMonitoringWork, MonitoringOutcome>
{
    public override async Task<MonitoringOutcome> RunAsync(TaskActivityContext context, FinishMonitoringWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var report = monitor.Assemble(input.Plan, input.Groups, input.Outputs);
        await reports.SaveAsync(report, CancellationToken.None).ConfigureAwait(false);
        return MonitoringOutcome.Of(report);
    }
}
