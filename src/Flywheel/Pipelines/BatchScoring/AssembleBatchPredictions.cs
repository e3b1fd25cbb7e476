using Azure.Storage.Blobs.Models;
using Flywheel.Contracts.Pipelines;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>Commits the staged chunk blocks, in row order and after the CSV header, as the output file. Committing the same list again is a no-op.</summary>
public sealed class AssembleBatchPredictions(BatchOutputBlobs outputs) : TaskActivity<BatchScoringPlan, BatchScoringResult>
{
    public override async Task<BatchScoringResult> RunAsync(TaskActivityContext context, BatchScoringPlan input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var blob = await outputs.BlobAsync(input.OutputPath, cancellationToken).ConfigureAwait(false);
        var blocks = new List<string>(input.Chunks.Count + 1);
        if (input.Output == BatchOutputFormat.Csv)
        {
            using var header = new MemoryStream(PredictionTable.CsvHeader(input.PredictionColumns), writable: false);
            await blob.StageBlockAsync(BatchOutputBlobs.HeaderBlockId, header, cancellationToken: cancellationToken).ConfigureAwait(false);
            blocks.Add(BatchOutputBlobs.HeaderBlockId);
        }

        blocks.AddRange(input.Chunks.Select(c => BatchOutputBlobs.ChunkBlockId(c.Index)));
        var contentType = input.Output == BatchOutputFormat.Csv ? "text/csv" : "application/x-ndjson";
        await blob.CommitBlockListAsync(blocks, new CommitBlockListOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken).ConfigureAwait(false);
        return new BatchScoringResult(
            $"{Storage.StorageNames.PredictionsContainer}/{input.OutputPath}",
            $"api/pipelines/{context.InstanceId}/output",
            input.Rows,
            input.Model,
            input.ModelVersion,
            input.Dataset,
            input.DatasetVersion,
            input.Output);
    }
}
