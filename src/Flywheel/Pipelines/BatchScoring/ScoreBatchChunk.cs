using System.Buffers;
using Azure.Storage.Blobs.Models;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;
using Flywheel.Registry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Scores one chunk: reads the header and the chunk's byte range of the content-addressed file,
/// scores the rows with the serving code and stages them as the chunk's block of the output blob.
/// Run twice, it stages the same block again: the output is unchanged.
/// </summary>
public sealed partial class ScoreBatchChunk(BatchScoringPlanner planner, ModelRegistry registry, DatasetBlobs datasets, BatchOutputBlobs outputs, ILogger<ScoreBatchChunk> logger)
    : TaskActivity<ChunkWork, ChunkScored>
{
    public override async Task<ChunkScored> RunAsync(TaskActivityContext context, ChunkWork input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var (plan, chunk) = input;
        var cancellationToken = CancellationToken.None;
        LogScoring(logger, context.InstanceId, chunk.Index, chunk.FirstRow, chunk.Rows);
        var content = await datasets.ContentAsync(plan.Dataset, plan.Sha256, cancellationToken).ConfigureAwait(false);
        var header = await content.DownloadContentAsync(new BlobDownloadOptions { Range = new Azure.HttpRange(0, plan.HeaderBytes) }, cancellationToken).ConfigureAwait(false);
        var rows = await content.DownloadStreamingAsync(new BlobDownloadOptions { Range = new Azure.HttpRange(chunk.Offset, chunk.Length) }, cancellationToken).ConfigureAwait(false);

        using var request = new ChunkRequestWriter(plan.Features, chunk.FirstRow, (int)Math.Min(chunk.Length * 2, int.MaxValue / 2));
        await using (var stream = new ConcatenatedStream(header.Value.Content.ToStream(), rows.Value.Content))
        {
            await new CsvReader().ReadAsync(stream, request, cancellationToken).ConfigureAwait(false);
        }

        if (request.Rows != chunk.Rows)
        {
            throw new InvalidOperationException($"Chunk {chunk.Index} should hold {chunk.Rows} rows but its byte range parsed as {request.Rows}.");
        }

        var model = await registry.GetAsync(plan.Model, plan.ModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false)
            ?? throw new Serving.ModelNotFoundException($"Model '{plan.Model}' v{plan.ModelVersion} is gone.");
        var predictions = await planner.ScoreAsync(model, request.Complete(), cancellationToken).ConfigureAwait(false);

        var output = new ArrayBufferWriter<byte>((int)Math.Min(chunk.Rows * 64, int.MaxValue / 2));
        PredictionTable.Write(output, plan.Output, plan.PredictionColumns, chunk.FirstRow, plan.ModelVersion, predictions);
        var blob = await outputs.BlobAsync(plan.OutputPath, cancellationToken).ConfigureAwait(false);
        using (var block = new MemoryStream(output.WrittenMemory.ToArray(), writable: false))
        {
            await blob.StageBlockAsync(BatchOutputBlobs.ChunkBlockId(chunk.Index), block, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        LogScored(logger, context.InstanceId, chunk.Index, predictions.Count);
        return new ChunkScored(chunk.Index, predictions.Count);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Batch {InstanceId}: scoring chunk {Chunk} (rows {FirstRow}+{Rows})")]
    private static partial void LogScoring(ILogger logger, string instanceId, int chunk, long firstRow, long rows);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Batch {InstanceId}: scored chunk {Chunk} ({Rows} rows)")]
    private static partial void LogScored(ILogger logger, string instanceId, int chunk, int rows);
}
