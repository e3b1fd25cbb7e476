using Azure;
using Azure.Storage.Blobs;
using Flywheel.Storage;
using Microsoft.Extensions.Logging;

namespace Flywheel.Datasets.Ingest;

/// <summary>
/// Handles a drop in the <c>landing</c> container at <c>{dataset}/{file}</c>: ingests it and then
/// removes it from landing, whether it became a version or went to quarantine. A drop that is
/// already gone (a re-delivered event) is a no-op; one that fails on storage stays for a retry.
/// </summary>
public sealed partial class LandingProcessor(StorageClients storage, DatasetIngestor ingestor, ILogger<LandingProcessor> logger)
{
    public BlobContainerClient Container { get; } = storage.Container(StorageNames.LandingContainer);

    public async Task<IngestOutcome?> ProcessAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        var blob = Container.GetBlobClient(blobName);
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        var dataset = slash > 0 ? blobName[..slash] : string.Empty;
        var source = $"{StorageNames.LandingContainer}/{blobName}";
        string? rejectReason = null;
        if (!ResourceName.IsValid(dataset))
        {
            // Without a valid dataset the drop has nowhere to go: it is quarantined under a holding name, not lost.
            LogInvalidName(logger, blobName);
            rejectReason = $"Drops go to landing/{{dataset}}/{{file}} where the dataset name has {ResourceName.Rule}.";
            dataset = InvalidDropsDataset;
        }

        IngestOutcome outcome;
        try
        {
            var content = await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                outcome = await ingestor.IngestAsync(dataset, content, source, cancellationToken, rejectReason).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        LogProcessed(logger, blobName, outcome.Status, outcome.Version?.Version);
        return outcome;
    }

    /// <summary>Drops at a path without a valid dataset name are ingested under this name.</summary>
    public const string InvalidDropsDataset = "invalid-drops";

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Landing drop {Blob}: {Status} (version {Version})")]
    private static partial void LogProcessed(ILogger logger, string blob, IngestStatus status, int? version);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Landing drop {Blob} is not under a valid dataset name ({Rule})")]
    private static partial void LogInvalidNameCore(ILogger logger, string blob, string rule);

    private static void LogInvalidName(ILogger logger, string blob) => LogInvalidNameCore(logger, blob, ResourceName.Rule);
}
