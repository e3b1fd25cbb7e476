using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Flywheel.Datasets.Profiling;
using Flywheel.Storage;

namespace Flywheel.Datasets.Versions;

/// <summary>
/// The dataset bytes in the <c>datasets</c> container: a staging blob per upload, then the
/// content-addressed copy <c>{name}/{sha256}</c> and its profile <c>{name}/{sha256}.profile.json</c>.
/// </summary>
public sealed class DatasetBlobs(StorageClients storage)
{
    private const string StagingFolder = ".staging";

    public static string ContentPath(string name, string sha256) => $"{name}/{sha256}";

    public Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) =>
        storage.ContainerAsync(StorageNames.DatasetsContainer, cancellationToken);

    public async Task<BlockBlobClient> NewStagingBlobAsync(string name, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        return container.GetBlockBlobClient($"{StagingFolder}/{name}/{Guid.NewGuid():N}");
    }

    /// <summary>
    /// Copies a staging blob to its content address. Content-addressed, so any complete copy is
    /// the right one: when concurrent uploads of the same bytes race, the first copy wins and the
    /// others wait for it to complete (a copy in flight is already visible, not yet whole).
    /// </summary>
    public async Task PromoteAsync(BlobBaseClient staging, string name, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var target = container.GetBlobClient(ContentPath(name, sha256));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await target.StartCopyFromUriAsync(staging.Uri, new BlobCopyFromUriOptions { DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another upload of the same bytes got there first (its copy may still be running).
            }

            if (await WaitForCopyAsync(target, cancellationToken).ConfigureAwait(false) is null or CopyStatus.Success)
            {
                return;
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException($"Copying '{target.Name}' failed three times.");
            }

            // The copy that won failed: remove it and copy again.
            await target.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteProfileAsync(string name, string sha256, DatasetProfile profile, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient($"{ContentPath(name, sha256)}.profile.json");
        await blob.UploadAsync(BinaryData.FromObjectAsJson(profile, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetProfile?> ReadProfileAsync(string name, string sha256, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        return await BlobJson.ReadAsync<DatasetProfile>(container.GetBlobClient($"{ContentPath(name, sha256)}.profile.json"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<BlobClient> ContentAsync(string name, string sha256, CancellationToken cancellationToken) =>
        (await ContainerAsync(cancellationToken).ConfigureAwait(false)).GetBlobClient(ContentPath(name, sha256));

    /// <summary>Server-side copy within the account, waited for, so the target is complete when this returns.</summary>
    public static async Task CopyAsync(BlobBaseClient source, BlobBaseClient target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        await target.StartCopyFromUriAsync(source.Uri, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (await WaitForCopyAsync(target, cancellationToken).ConfigureAwait(false) is not (null or CopyStatus.Success) and var status)
        {
            throw new InvalidOperationException($"Copying to '{target.Name}' ended {status}.");
        }
    }

    /// <summary>
    /// Waits until the last copy into <paramref name="target"/> is no longer pending and returns how
    /// it ended (null: the blob was written, not copied). Polled from the blob's properties rather
    /// than through the copy operation, so any caller can wait for a copy another request started.
    /// </summary>
    private static async Task<CopyStatus?> WaitForCopyAsync(BlobBaseClient target, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var properties = await target.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.Value.BlobCopyStatus != CopyStatus.Pending)
            {
                return properties.Value.BlobCopyStatus;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }
}
