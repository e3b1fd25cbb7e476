using Flywheel.Api.Monitoring;
using Flywheel.Api.Pipelines;
using Flywheel.Monitoring;
using Flywheel.Pipelines;
using Microsoft.Extensions.Options;

namespace Flywheel.LocalHost;

/// <summary>
/// LocalHost's stand-in for the Functions timer trigger: waits for each occurrence of
/// MonitoringOptions.Schedule (MONITORING_SCHEDULE when set, as on Functions) and runs the same <see cref="MonitoringScheduler"/> tick. A failed
/// tick is logged; the next occurrence tries again.
/// </summary>
internal sealed partial class MonitoringTimer(MonitoringScheduler scheduler, IPipelineClient pipelines, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<MonitoringTimer> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

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

            // Waits at most a day at a time: Task.Delay refuses waits past about 49 days, and a yearly schedule is valid.
            if (next - now > MaxWait)
            {
                await Task.Delay(MaxWait, time, stoppingToken).ConfigureAwait(false);
                continue;
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
