using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flywheel.Serving.Signal;

/// <summary>
/// Writes this instance's serving signal every <see cref="ServingOptions.SignalFlushInterval"/> and once more on
/// shutdown, so a canary judged over all instances misses at most one interval of an instance that crashed. A
/// failed write is logged and the same minutes are written again next time (a write replaces, never adds).
/// </summary>
public sealed partial class SignalFlusher(ServingSignal signal, SignalStore store, IOptions<ServingOptions> options, TimeProvider time, ILogger<SignalFlusher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SignalFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes the last counts.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes every minute counted so far, then forgets the minutes no request adds to any more.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var current = signal.CurrentMinute;
        var minutes = signal.Snapshot();
        try
        {
            await store.WriteAsync(minutes, cancellationToken).ConfigureAwait(false);
            signal.Forget(current - 1);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex, minutes.Count);
        }
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "Writing {Count} minutes of the serving signal failed; they are written again next time")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}
