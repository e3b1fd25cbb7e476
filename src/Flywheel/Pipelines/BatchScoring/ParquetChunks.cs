using Azure.Storage.Blobs;
using Flywheel.Datasets.Parsing;
using Parquet;
using Parquet.Serialization;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Batch scoring over a Parquet version: chunks are runs of whole row groups (about <c>chunkRows</c>
/// rows each; a larger row group is one chunk), read through a seekable blob stream that fetches
/// only the pages asked for. Values bind through their invariant text, as profiling reads them, so a
/// Parquet version scores exactly as the same data in CSV.
/// </summary>
internal static class ParquetChunks
{
    public static async Task<(List<BatchChunk> Chunks, IReadOnlyList<string>? FirstRow)> PlanAsync(BlobClient content, int chunkRows, int columns, CancellationToken cancellationToken)
    {
        await using var stream = await content.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var counts = new List<long>();
        string[] names;
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            names = [.. reader.Schema.GetDataFields().Select(f => f.Name)];
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                counts.Add(rowGroup.RowCount);
            }
        }

        var chunks = new List<BatchChunk>();
        var first = 0;
        long row = 1, rows = 0;
        for (var group = 0; group < counts.Count; group++)
        {
            rows += counts[group];
            if (rows >= chunkRows || group == counts.Count - 1)
            {
                chunks.Add(new BatchChunk(chunks.Count, row, rows, 0, 0, first, group - first + 1));
                row += rows;
                rows = 0;
                first = group + 1;
            }
        }

        IReadOnlyList<string>? sample = null;
        if (counts.Count > 0 && counts[0] > 0)
        {
            stream.Position = 0;
            var rowGroup = await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: 0, cancellationToken: cancellationToken).ConfigureAwait(false);
            sample = Cells(rowGroup.Data[0], names, columns);
        }

        return (chunks, sample);
    }

    public static async Task ReadAsync(BlobClient content, BatchChunk chunk, IReadOnlyList<FeatureColumn> features, ChunkTensors tensors, CancellationToken cancellationToken)
    {
        await using var stream = await content.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var width = features.Max(f => f.Index) + 1;
        var names = new string[width];
        foreach (var feature in features)
        {
            names[feature.Index] = feature.Name;
        }

        for (var group = chunk.FirstRowGroup; group < chunk.FirstRowGroup + chunk.RowGroups; group++)
        {
            stream.Position = 0;
            var rows = await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var row in rows.Data)
            {
                tensors.Add(Cells(row, names, width));
            }
        }
    }

    // A row as the texts of its columns, by position; a missing value (or a column not read) is empty.
    private static string[] Cells(Dictionary<string, object> row, string?[] names, int width)
    {
        var cells = new string[width];
        for (var i = 0; i < width; i++)
        {
            cells[i] = names[i] is { } name && row.TryGetValue(name, out var value) && value is not null ? ParquetDatasetReader.Text(value) : string.Empty;
        }

        return cells;
    }
}
