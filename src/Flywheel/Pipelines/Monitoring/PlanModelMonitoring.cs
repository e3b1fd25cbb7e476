using Flywheel.Contracts;
using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Models;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Monitoring;

/// <summary>Resolves the run: version, reference, features and methods, the window ending at the schedule's occurrence. Reads only.</summary>
public sealed class PlanModelMonitoring(ModelMonitor monitor) : TaskActivity<MonitoringStart, MonitoringPlan>
{
    public override Task<MonitoringPlan> RunAsync(TaskActivityContext context, MonitoringStart input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return monitor.PlanAsync(input.Model, new DriftRunRequest(input.Version is { } version ? VersionReference.Of(version) : null, To: input.WindowEnd), MonitoringTrigger.Schedule, input.ReportId, CancellationToken.None);
    }
}
