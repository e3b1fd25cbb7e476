using Flywheel.Datasets;
using Flywheel.Datasets.Ingest;
using Microsoft.Extensions.Options;

namespace Flywheel.LocalHost;

/// <summary>
/// LocalHost's stand-in for the Event Grid blob trigger: lists the landing container every
/// <see cref="DatasetOptions.LandingPollInterval"/> and hands each drop to the same
/// <see cref="LandingProcessor"/> the Functions trigger calls. Storage outages are logged and retried on the next tick;
/// the processor bounds the attempts at any one drop.
/// </summary>
internal sealed partial class LandingWatcher(LandingProcessor processor, IOptions<DatasetOptions> options, TimeProvider time, ILogger<LandingWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LandingPollInterval, time);
        do
        {
            try
            {
                await processor.Container.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                await foreach (var blob in processor.Container.GetBlobsAsync(cancellationToken: stoppingToken).ConfigureAwait(false))
                {
                    try
                    {
                        await processor.ProcessAsync(blob.Name, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // One drop that fails (and stays for its next attempt) never holds up the drops listed after it.
                        LogDropFailed(logger, blob.Name, ex);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Landing drop {Blob} failed; it is tried again next tick")]
    private static partial void LogDropFailed(ILogger logger, string blob, Exception exception);

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Landing watcher could not process the landing container; retrying next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
