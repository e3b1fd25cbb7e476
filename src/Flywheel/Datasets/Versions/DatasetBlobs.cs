using System.Text.Json;
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

    /// <summary>Moves a staging blob to its content address; content-addressed, so an existing copy is already right.</summary>
    public async Task PromoteAsync(BlobBaseClient staging, string name, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var target = container.GetBlobClient(ContentPath(name, sha256));
        if (!await target.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await CopyAsync(staging, target, cancellationToken).ConfigureAwait(false);
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
        var copy = await target.StartCopyFromUriAsync(source.Uri, cancellationToken: cancellationToken).ConfigureAwait(false);
        await copy.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
    }
}
