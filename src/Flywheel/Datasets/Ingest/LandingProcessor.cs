using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Flywheel.Contracts;
using Flywheel.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flywheel.Datasets.Ingest;

/// <summary>
/// Handles a drop in the <c>landing</c> container at <c>{dataset}/{file}</c>: ingests it and then
/// removes it from landing, whether it became a version or went to quarantine. Every drop ends as
/// one of the two: a drop that cannot be ingested (a failure that is not the storage service's)
/// is quarantined at once with an <c>ingest-failed</c> report, and one that keeps failing on
/// storage is quarantined after <see cref="DatasetOptions.LandingMaxAttempts"/> attempts, counted
/// in the drop's own metadata so the count survives restarts and is shared by every instance.
/// A drop that is already gone (a re-delivered event) is a no-op.
/// </summary>
public sealed partial class LandingProcessor(StorageClients storage, DatasetIngestor ingestor, IOptions<DatasetOptions> options, ILogger<LandingProcessor> logger)
{
    private const string AttemptsMetadata = "flywheelattempts";

    public BlobContainerClient Container { get; } = storage.Container(StorageNames.LandingContainer);

    /// <returns>The outcome, or null when the drop is gone.</returns>
    /// <exception cref="Exception">A storage failure worth retrying: the drop stays in landing for the next attempt.</exception>
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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var transient = StorageFailures.IsTransient(ex);
            if (transient && await CountAttemptAsync(blob, cancellationToken).ConfigureAwait(false) < options.Value.LandingMaxAttempts)
            {
                LogRetrying(logger, blobName, ex);
                throw;
            }

            LogGivingUp(logger, blobName, ex);
            var reason = transient
                ? $"Storage kept failing while this file was ingested ({options.Value.LandingMaxAttempts} attempts); drop it again to retry."
                : "Flywheel could not ingest this file; it is kept here unchanged and the log has the details. Drop it again after a fix, or send it with PUT api/datasets/{name}.";
            outcome = await ingestor.QuarantineFailedAsync(dataset, blob, source, reason, cancellationToken).ConfigureAwait(false);
        }

        await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        LogProcessed(logger, blobName, outcome.Status, outcome.Version?.Version);
        return outcome;
    }

    /// <summary>Adds one to the drop's attempt count and returns it (an unreachable store throws, and the drop is retried as it is).</summary>
    private static async Task<int> CountAttemptAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(properties.Value.Metadata, StringComparer.OrdinalIgnoreCase);
        var attempts = (metadata.TryGetValue(AttemptsMetadata, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var count) ? count : 0) + 1;
        metadata[AttemptsMetadata] = attempts.ToString(CultureInfo.InvariantCulture);
        // Setting metadata raises no BlobCreated event, so counting does not re-deliver the drop.
        await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = properties.Value.ETag }, cancellationToken).ConfigureAwait(false);
        return attempts;
    }

    /// <summary>Drops at a path without a valid dataset name are ingested under this name.</summary>
    public const string InvalidDropsDataset = "invalid-drops";

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Landing drop {Blob}: {Status} (version {Version})")]
    private static partial void LogProcessed(ILogger logger, string blob, IngestStatus status, int? version);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Landing drop {Blob} is not under a valid dataset name ({Rule})")]
    private static partial void LogInvalidNameCore(ILogger logger, string blob, string rule);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Landing drop {Blob} failed on storage; it stays in landing for another attempt")]
    private static partial void LogRetrying(ILogger logger, string blob, Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Landing drop {Blob} could not be ingested; quarantining it")]
    private static partial void LogGivingUp(ILogger logger, string blob, Exception exception);

    private static void LogInvalidName(ILogger logger, string blob) => LogInvalidNameCore(logger, blob, ResourceName.Rule);
}
