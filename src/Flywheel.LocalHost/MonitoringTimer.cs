using Flywheel.Monitoring;
using Flywheel.Pipelines;
using Microsoft.Extensions.Options;

namespace Flywheel.LocalHost;

/// <summary>The monitoring timer: each occurrence of MonitoringOptions.Schedule (MONITORING_SCHEDULE when set, as on Functions) runs the <see cref="MonitoringScheduler"/> tick.</summary>
internal sealed class MonitoringTimer(MonitoringScheduler scheduler, IPipelineClient pipelines, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<MonitoringTimer> logger)
    : ScheduledTimer(time, logger)
{
    protected override string Schedule => options.Value.Schedule;

    protected override string Name => "monitoring";

    protected override Task TickAsync(CancellationToken cancellationToken) => scheduler.TickAsync(pipelines, cancellationToken);
}
