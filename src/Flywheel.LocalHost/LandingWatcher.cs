using Flywheel.Datasets;
using Flywheel.Datasets.Ingest;
using Microsoft.Extensions.Options;

namespace Flywheel.LocalHost;

/// <summary>
/// LocalHost's stand-in for the Event Grid blob trigger: lists the landing container every
/// <see cref="DatasetOptions.LandingPollInterval"/> and hands each drop to the same
/// <see cref="LandingProcessor"/> the Functions trigger calls. Storage outages are logged and retried on the next tick.
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
                    await processor.ProcessAsync(blob.Name, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Landing watcher could not process the landing container; retrying next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
