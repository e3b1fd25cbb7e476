using Flywheel.Monitoring.Models;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Monitoring;

/// <summary>Prediction drift, performance from feedback and the CBPE estimate. Reads, and captures the version's reference predictions once.</summary>
public sealed class CompareModelOutputs(ModelMonitor monitor) : TaskActivity<MonitoringPlan, OutputResult>
{
    public override Task<OutputResult> RunAsync(TaskActivityContext context, MonitoringPlan input) =>
        monitor.CompareOutputsAsync(input, CancellationToken.None);
}
