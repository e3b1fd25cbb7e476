using Flywheel.Api.Monitoring;
using Flywheel.Api.Pipelines;
using Flywheel.Monitoring;
using Microsoft.Extensions.Options;

namespace Flywheel.LocalHost;

/// <summary>
/// LocalHost's stand-in for the Functions timer trigger: waits for each occurrence of
/// Flywheel:Monitoring:Schedule and runs the same <see cref="MonitoringScheduler"/> tick. A failed
/// tick is logged; the next occurrence tries again.
/// </summary>
internal sealed partial class MonitoringTimer(MonitoringScheduler scheduler, IPipelineClient pipelines, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<MonitoringTimer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = MonitoringSchedule.TryParse(options.Value.Schedule)!;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (MonitoringSchedule.Next(schedule, now) is not { } next)
            {
                return;
            }

            await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
            try
            {
                await scheduler.TickAsync(pipelines, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTickFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "The monitoring tick failed; the next occurrence tries again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
