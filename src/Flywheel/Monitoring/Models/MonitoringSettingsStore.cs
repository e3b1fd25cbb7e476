using Flywheel.Contracts.Monitoring;
using Flywheel.Storage;

namespace Flywheel.Monitoring.Models;

/// <summary>A model's monitoring settings in <c>models/{name}/monitoring.json</c>, beside its saved training request.</summary>
public sealed class MonitoringSettingsStore(StorageClients storage)
{
    public async Task<MonitoringSettings?> GetAsync(string model, CancellationToken cancellationToken) =>
        await BlobJson.ReadAsync<MonitoringSettings>(await BlobAsync(model, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task SaveAsync(string model, MonitoringSettings settings, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(model, cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(BinaryData.FromObjectAsJson(settings, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Azure.Storage.Blobs.BlobClient> BlobAsync(string model, CancellationToken cancellationToken) =>
        (await storage.ContainerAsync(StorageNames.ModelsContainer, cancellationToken).ConfigureAwait(false)).GetBlobClient($"{model}/monitoring.json");
}
