using System.Buffers;
using Azure.Storage.Blobs.Models;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Scores one chunk: reads the header and the chunk's byte range of the content-addressed file,
/// scores the rows with the serving code and stages them as the chunk's block of the output blob.
/// Run twice, it stages the same block again: the output is unchanged.
/// </summary>
public sealed partial class ScoreBatchChunk(BatchScoringPlanner planner, DatasetBlobs datasets, BatchOutputBlobs outputs, TimeProvider time, ILogger<ScoreBatchChunk> logger)
    : TaskActivity<ChunkWork, ChunkScored>
{
    public override async Task<ChunkScored> RunAsync(TaskActivityContext context, ChunkWork input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var (plan, chunk) = input;
        var cancellationToken = CancellationToken.None;
        LogScoring(logger, context.InstanceId, chunk.Index, chunk.FirstRow, chunk.Rows);
        var started = time.GetTimestamp();
        var content = await datasets.ContentAsync(plan.Dataset, plan.Sha256, cancellationToken).ConfigureAwait(false);
        var tensors = new ChunkTensors(plan.Inputs, plan.Features, checked((int)chunk.Rows), chunk.FirstRow);
        if (plan.Format == "parquet")
        {
            await ParquetChunks.ReadAsync(content, chunk, plan.Features, tensors, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var header = await content.DownloadContentAsync(new BlobDownloadOptions { Range = new Azure.HttpRange(0, plan.HeaderBytes) }, cancellationToken).ConfigureAwait(false);
            var rows = await content.DownloadStreamingAsync(new BlobDownloadOptions { Range = new Azure.HttpRange(chunk.Offset, chunk.Length) }, cancellationToken).ConfigureAwait(false);
            await using var stream = new ConcatenatedStream(header.Value.Content.ToStream(), rows.Value.Content);
            await new CsvReader().ReadAsync(stream, tensors, cancellationToken).ConfigureAwait(false);
        }

        if (tensors.Rows != chunk.Rows)
        {
            throw new InvalidOperationException($"Chunk {chunk.Index} should hold {chunk.Rows} rows but its byte range parsed as {tensors.Rows}.");
        }

        var read = time.GetElapsedTime(started);
        var predictions = await planner.ScoreAsync(plan.Model, plan.ModelVersion, tensors, cancellationToken).ConfigureAwait(false);

        var scored = time.GetElapsedTime(started);
        var output = new ArrayBufferWriter<byte>((int)Math.Min(chunk.Rows * 64, int.MaxValue / 2));
        PredictionTable.Write(output, plan.Output, plan.PredictionColumns, chunk.FirstRow, plan.ModelVersion, predictions);
        var written = time.GetElapsedTime(started);
        var blob = await outputs.BlobAsync(plan.OutputPath, cancellationToken).ConfigureAwait(false);
        using (var block = BinaryData.FromBytes(output.WrittenMemory).ToStream())
        {
            await blob.StageBlockAsync(BatchOutputBlobs.ChunkBlockId(chunk.Index), block, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var stored = time.GetElapsedTime(started);
        LogScored(logger, context.InstanceId, chunk.Index, predictions.Count, read.TotalMilliseconds, (scored - read).TotalMilliseconds, (written - scored).TotalMilliseconds, (stored - written).TotalMilliseconds);
        return new ChunkScored(chunk.Index, predictions.Count);
    }

    [LoggerMessage(EventId = 740, Level = LogLevel.Information, Message = "Batch {InstanceId}: scoring chunk {Chunk} (rows {FirstRow}+{Rows})")]
    private static partial void LogScoring(ILogger logger, string instanceId, int chunk, long firstRow, long rows);

    [LoggerMessage(EventId = 741, Level = LogLevel.Information, Message = "Batch {InstanceId}: scored chunk {Chunk} ({Rows} rows; ms reading {ReadMs:F0}, scoring {ScoreMs:F0}, writing {WriteMs:F0}, storing {StoreMs:F0})")]
    private static partial void LogScored(ILogger logger, string instanceId, int chunk, int rows, double readMs, double scoreMs, double writeMs, double storeMs);
}
