using System.Text;
using Azure.Storage.Blobs.Specialized;
using Flywheel.Contracts.Pipelines;
using Flywheel.Storage;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// The output file of a run, <c>predictions/batch/{model}/{instance}/predictions.{csv|jsonl}</c>,
/// built as one block blob: each chunk stages its rows as a block of its own (staging the same
/// block again replaces it, so a re-run chunk is harmless) and the last step commits the blocks
/// in row order. Nothing is copied twice and no part files are left behind.
/// </summary>
public sealed class BatchOutputBlobs(StorageClients storage)
{
    public static string OutputPath(string model, string instanceId, BatchOutputFormat format) =>
        $"batch/{model}/{instanceId}/predictions.{(format == BatchOutputFormat.Csv ? "csv" : "jsonl")}";

    /// <summary>Block ids must all have one length: a letter and the zero-padded chunk index.</summary>
    public static string ChunkBlockId(int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"c{index:D9}"));

    public static string HeaderBlockId { get; } = Convert.ToBase64String(Encoding.ASCII.GetBytes($"h{0:D9}"));

    public async Task<BlockBlobClient> BlobAsync(string path, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(StorageNames.PredictionsContainer, cancellationToken).ConfigureAwait(false);
        return container.GetBlockBlobClient(path);
    }
}
