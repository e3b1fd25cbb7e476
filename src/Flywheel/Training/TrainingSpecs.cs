using Flywheel.Contracts.Training;
using Flywheel.Storage;

namespace Flywheel.Training;

/// <summary>A model's saved training request (<c>models/{name}/training.json</c>), rerun on the latest data by <c>POST api/models/{name}/train</c>.</summary>
public sealed class TrainingSpecs(StorageClients storage)
{
    public async Task<TrainingRequest?> GetAsync(string model, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(StorageNames.ModelsContainer, cancellationToken).ConfigureAwait(false);
        return await BlobJson.ReadAsync<TrainingRequest>(container.GetBlobClient(PathFor(model)), cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveAsync(TrainingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var container = await storage.ContainerAsync(StorageNames.ModelsContainer, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(PathFor(request.Model)).UploadAsync(BinaryData.FromObjectAsJson(request, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    private static string PathFor(string model) => $"{model}/training.json";
}
