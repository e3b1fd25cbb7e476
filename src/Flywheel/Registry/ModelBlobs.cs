using Azure.Storage.Blobs;
using Flywheel.Contracts.Registry;
using Flywheel.Storage;

namespace Flywheel.Registry;

/// <summary>Model artifacts in the <c>models</c> container: <c>{name}/{sha256}.onnx</c> and the signature read at registration beside it.</summary>
public sealed class ModelBlobs(StorageClients storage)
{
    public static string ContentPath(string name, string sha256) => $"{name}/{sha256}.onnx";

    private Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) =>
        storage.ContainerAsync(StorageNames.ModelsContainer, cancellationToken);

    public async Task WriteAsync(string name, string sha256, byte[] model, ModelSignature signature, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient(ContentPath(name, sha256));
        if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await blob.UploadAsync(BinaryData.FromBytes(model), overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        await container.GetBlobClient($"{name}/{sha256}.signature.json")
            .UploadAsync(BinaryData.FromObjectAsJson(signature, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelSignature?> ReadSignatureAsync(string name, string sha256, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        return await BlobJson.ReadAsync<ModelSignature>(container.GetBlobClient($"{name}/{sha256}.signature.json"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<BlobClient> ContentAsync(string name, string sha256, CancellationToken cancellationToken) =>
        (await ContainerAsync(cancellationToken).ConfigureAwait(false)).GetBlobClient(ContentPath(name, sha256));
}
