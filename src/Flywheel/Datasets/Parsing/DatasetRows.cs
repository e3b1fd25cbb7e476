using System.Text;
using Azure.Storage.Blobs;
using Parquet;
using Parquet.Serialization;

namespace Flywheel.Datasets.Parsing;

/// <summary>
/// Reads some columns of a dataset version row by row, as the invariant text profiling saw: each
/// data row's number (0-based) and its values, with missing cells (the same markers as the
/// profile) as null. The values array is reused between rows.
/// </summary>
internal static class DatasetRows
{
    public delegate void RowHandler(int row, string?[] values);

    public static async Task ReadAsync(BlobClient content, string format, IReadOnlyList<string> columns, IReadOnlySet<string> missingMarkers, RowHandler onRow, CancellationToken cancellationToken)
    {
        await using var stream = await content.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (format == "parquet")
        {
            await ReadParquetAsync(stream, columns, missingMarkers, onRow, cancellationToken).ConfigureAwait(false);
            return;
        }

        var handler = new Handler(columns, missingMarkers, onRow);
        await new CsvReader().ReadAsync(stream, handler, cancellationToken).ConfigureAwait(false);
        if (handler.Problem is { } problem)
        {
            throw new InvalidDataException(problem);
        }
    }

    private static async Task ReadParquetAsync(Stream stream, IReadOnlyList<string> columns, IReadOnlySet<string> missingMarkers, RowHandler onRow, CancellationToken cancellationToken)
    {
        int groups;
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            groups = reader.RowGroupCount;
        }

        var values = new string?[columns.Count];
        var row = 0;
        for (var group = 0; group < groups; group++)
        {
            stream.Position = 0;
            var rows = await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var cells in rows.Data)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    var text = cells.GetValueOrDefault(columns[c]) is { } value ? ParquetDatasetReader.Text(value) : null;
                    values[c] = text is null || missingMarkers.Contains(text) ? null : text;
                }

                onRow(row++, values);
            }
        }
    }

    private sealed class Handler(IReadOnlyList<string> columns, IReadOnlySet<string> missingMarkers, RowHandler onRow) : ICsvRecordHandler
    {
        private readonly string?[] _values = new string?[columns.Count];
        private byte[] _scratch = new byte[256];
        private int[]? _indexes;
        private int _row;

        public string? Problem { get; private set; }

        public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            if (_indexes is null)
            {
                var header = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < fields.Length; i++)
                {
                    header.TryAdd(Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _scratch)), i);
                }

                if (columns.FirstOrDefault(c => !header.ContainsKey(c)) is { } absent)
                {
                    Problem = $"Column '{absent}' is not in the file.";
                    return false;
                }

                _indexes = [.. columns.Select(c => header[c])];
                return true;
            }

            for (var c = 0; c < _indexes.Length; c++)
            {
                var text = _indexes[c] < fields.Length ? Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[_indexes[c]], ref _scratch)) : null;
                _values[c] = text is null || missingMarkers.Contains(text) ? null : text;
            }

            onRow(_row++, _values);
            return true;
        }

        public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public bool OnProblem(string kind, string message, long line)
        {
            // A versioned file was read cleanly once; a problem now means its bytes changed.
            Problem = $"{kind} at line {line}: {message}";
            return false;
        }
    }
}
