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

    /// <summary>One cell of a row, as UTF-8 (invariant text for Parquet); <paramref name="missing"/> when it is absent or a missing marker.</summary>
    public delegate void CellHandler(int column, ReadOnlySpan<byte> utf8, bool missing);

    /// <summary>
    /// The cells of some columns, without a string per cell: CSV cells straight from the reader's
    /// buffer (unescaped when quoted), for readers that parse or count values themselves.
    /// </summary>
    public static async Task ReadCellsAsync(BlobClient content, string format, IReadOnlyList<string> columns, IReadOnlySet<string> missingMarkers, CellHandler onCell, CancellationToken cancellationToken)
    {
        if (format == "parquet")
        {
            await ReadAsync(content, format, columns, missingMarkers, (_, values) =>
            {
                for (var c = 0; c < values.Length; c++)
                {
                    onCell(c, values[c] is { } text ? Encoding.UTF8.GetBytes(text) : [], values[c] is null);
                }
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var stream = await content.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await ReadCsvCellsAsync(stream, columns, missingMarkers, onCell, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cells of some columns of a CSV file (see <see cref="ReadCellsAsync"/>).</summary>
    public static async Task ReadCsvCellsAsync(Stream csv, IReadOnlyList<string> columns, IReadOnlySet<string> missingMarkers, CellHandler onCell, CancellationToken cancellationToken)
    {
        var handler = new CellReader(columns, missingMarkers, onCell);
        await new CsvReader().ReadAsync(csv, handler, cancellationToken).ConfigureAwait(false);
        if (handler.Problem is { } problem)
        {
            throw new InvalidDataException(problem);
        }
    }

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

    /// <summary>Maps the header to column positions; subclasses read the data records.</summary>
    private abstract class Columns(IReadOnlyList<string> columns) : ICsvRecordHandler
    {
        private byte[] _headerScratch = new byte[256];

        protected int[]? Indexes { get; private set; }

        public string? Problem { get; private set; }

        public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            if (Indexes is not null)
            {
                return OnData(buffer, fields);
            }

            var header = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Length; i++)
            {
                header.TryAdd(Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _headerScratch)), i);
            }

            if (columns.FirstOrDefault(c => !header.ContainsKey(c)) is { } absent)
            {
                Problem = $"Column '{absent}' is not in the file.";
                return false;
            }

            Indexes = [.. columns.Select(c => header[c])];
            return true;
        }

        protected abstract bool OnData(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields);

        public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public bool OnProblem(string kind, string message, long line)
        {
            // A versioned file was read cleanly once; a problem now means its bytes changed.
            Problem = $"{kind} at line {line}: {message}";
            return false;
        }
    }

    private sealed class CellReader(IReadOnlyList<string> columns, IReadOnlySet<string> missingMarkers, CellHandler onCell) : Columns(columns)
    {
        private readonly byte[][] _markers = [.. missingMarkers.Select(Encoding.UTF8.GetBytes)];
        private byte[] _scratch = new byte[256];

        protected override bool OnData(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields)
        {
            var indexes = Indexes!;
            for (var c = 0; c < indexes.Length; c++)
            {
                if (indexes[c] >= fields.Length)
                {
                    onCell(c, [], true);
                    continue;
                }

                var value = CsvReader.Value(buffer, fields[indexes[c]], ref _scratch);
                onCell(c, value, IsMarker(value));
            }

            return true;
        }

        private bool IsMarker(ReadOnlySpan<byte> value)
        {
            foreach (var marker in _markers)
            {
                if (value.SequenceEqual(marker))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class Handler(IReadOnlyList<string> columns, IReadOnlySet<string> missingMarkers, RowHandler onRow) : Columns(columns)
    {
        private readonly string?[] _values = new string?[columns.Count];
        private byte[] _scratch = new byte[256];
        private int _row;

        protected override bool OnData(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields)
        {
            var indexes = Indexes!;
            for (var c = 0; c < indexes.Length; c++)
            {
                var text = indexes[c] < fields.Length ? Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[indexes[c]], ref _scratch)) : null;
                _values[c] = text is null || missingMarkers.Contains(text) ? null : text;
            }

            onRow(_row++, _values);
            return true;
        }
    }
}
