using System.Text;
using Azure.Storage.Blobs;
using Flywheel.Datasets.Parsing;
using Parquet;
using Parquet.Serialization;

namespace Flywheel.Training;

/// <summary>
/// Reads one column of a dataset version, row by row, as the invariant text profiling saw: the
/// label's value per data row (0-based), with missing cells (the same markers as the profile) as null.
/// </summary>
internal static class LabelColumn
{
    public static async Task ReadAsync(BlobClient content, string format, string column, IReadOnlySet<string> missingMarkers, Action<int, string?> onRow, CancellationToken cancellationToken)
    {
        await using var stream = await content.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (format == "parquet")
        {
            await ReadParquetAsync(stream, column, missingMarkers, onRow, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var handler = new Handler(column, missingMarkers, onRow);
            await new CsvReader().ReadAsync(stream, handler, cancellationToken).ConfigureAwait(false);
            if (handler.Problem is { } problem)
            {
                throw new InvalidDataException(problem);
            }
        }
    }

    private static async Task ReadParquetAsync(Stream stream, string column, IReadOnlySet<string> missingMarkers, Action<int, string?> onRow, CancellationToken cancellationToken)
    {
        int groups;
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            groups = reader.RowGroupCount;
        }

        var row = 0;
        for (var group = 0; group < groups; group++)
        {
            stream.Position = 0;
            var rows = await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var values in rows.Data)
            {
                var text = values.GetValueOrDefault(column) is { } value ? ParquetDatasetReader.Text(value) : null;
                onRow(row++, text is null || missingMarkers.Contains(text) ? null : text);
            }
        }
    }

    private sealed class Handler(string column, IReadOnlySet<string> missingMarkers, Action<int, string?> onRow) : ICsvRecordHandler
    {
        private byte[] _scratch = new byte[256];
        private int _index = -1;
        private int _row;

        public string? Problem { get; private set; }

        public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            if (_index < 0)
            {
                for (var i = 0; i < fields.Length; i++)
                {
                    if (Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _scratch)) == column)
                    {
                        _index = i;
                        return true;
                    }
                }

                Problem = $"Column '{column}' is not in the file.";
                return false;
            }

            var text = _index < fields.Length ? Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[_index], ref _scratch)) : null;
            onRow(_row++, text is null || missingMarkers.Contains(text) ? null : text);
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
