using Azure;
using Flywheel.Datasets.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flywheel.Functions.Datasets;

/// <summary>
/// Creates the landing container when the app starts. In Azure the Bicep has made it already; under
/// `func start` or the local host on a fresh Azurite nothing else would, and a user's first drop would
/// fail with ContainerNotFound (LocalHost's watcher does the same on its first poll). It runs beside the
/// start, so storage that is down at start delays nothing; the blob trigger does not need it to exist.
/// </summary>
internal sealed partial class LandingContainerSetup(LandingProcessor landing, ILogger<LandingContainerSetup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await landing.Container.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or TimeoutException)
        {
            LogNotCreated(logger, landing.Container.Name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The landing container {Container} could not be created at start; drops wait for it to exist")]
    private static partial void LogNotCreated(ILogger logger, string container, Exception exception);
}
