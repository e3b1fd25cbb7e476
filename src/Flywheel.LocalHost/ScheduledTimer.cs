using Cronos;
using Flywheel.Monitoring;

namespace Flywheel.LocalHost;

/// <summary>
/// LocalHost's stand-in for a Functions timer trigger: waits for each occurrence of a six-field cron schedule and runs
/// the same tick the Functions timer runs. A failed tick is logged; the next occurrence tries again.
/// </summary>
internal abstract partial class ScheduledTimer(TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>The schedule, already validated on start.</summary>
    protected abstract string Schedule { get; }

    /// <summary>What the timer is for, in its log lines.</summary>
    protected abstract string Name { get; }

    protected abstract Task TickAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        CronExpression schedule = MonitoringSchedule.TryParse(Schedule)!;
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
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTickFailed(logger, ex, Name);
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "The {Timer} tick failed; the next occurrence tries again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string timer);
}
