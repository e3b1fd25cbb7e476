using Flywheel.Api.Monitoring;
using Flywheel.Functions.Pipelines;
using Flywheel.Monitoring;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Flywheel.Functions.Monitoring;

/// <summary>The monitoring timer; the monitoring routes are HTTP functions generated from the API's declaration.</summary>
public sealed class MonitoringFunctions(MonitoringScheduler scheduler)
{
    /// <summary>
    /// The monitoring schedule (the MONITORING_SCHEDULE app setting, hourly by default): starts each
    /// monitored model's run for the window it is due for. The setting name is flat because the scale
    /// controller resolves the binding from raw app settings, where Linux allows no ':' in a name
    /// (a nested name can leave the timer unfired); MonitoringOptions.Schedule reads the same setting.
    /// </summary>
    [Function(nameof(MonitorModels))]
    public Task MonitorModels([TimerTrigger("%MONITORING_SCHEDULE%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        scheduler.TickAsync(new DurablePipelineClient(client), cancellationToken);
}
