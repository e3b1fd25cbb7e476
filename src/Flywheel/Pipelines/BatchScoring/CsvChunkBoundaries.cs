using Flywheel.Contracts.Errors;
using Flywheel.Datasets.Parsing;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// One pass over a CSV file that records where every chunk of <c>chunkRows</c> rows starts, so
/// each chunk's activity reads only its own byte range. It keeps the first data row too: the
/// plan scores it to learn the prediction columns and to fail at the start, not in chunk 40.
/// </summary>
internal sealed class CsvChunkBoundaries(int chunkRows) : ICsvRecordHandler
{
    private readonly List<long> _starts = [];
    private long _bufferOffset;
    private bool _headerSeen;

    public long Rows { get; private set; }

    /// <summary>The byte offset of the first data row: the header line and anything before it.</summary>
    public long HeaderBytes { get; private set; } = -1;

    public IReadOnlyList<string> Header { get; private set; } = [];

    public IReadOnlyList<string>? FirstRow { get; private set; }

    public IReadOnlyList<long> ChunkStarts => _starts;

    public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
    {
        if (!_headerSeen)
        {
            _headerSeen = true;
            Header = Texts(buffer, fields);
            return true;
        }

        if (Rows % chunkRows == 0)
        {
            var start = _bufferOffset + RecordStart(buffer, fields[0]);
            _starts.Add(start);
            if (HeaderBytes < 0)
            {
                HeaderBytes = start;
                FirstRow = Texts(buffer, fields);
            }
        }

        Rows++;
        return true;
    }

    public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        // The reader moves what it did not consume to the front of its buffer: offsets continue from here.
        _bufferOffset += length;
        return ValueTask.CompletedTask;
    }

    public bool OnProblem(string kind, string message, long line) =>
        throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnreadableDataset, $"The dataset file cannot be read for scoring at line {line}: {message}");

    // A quoted field's span starts after its opening quote.
    private static int RecordStart(ReadOnlySpan<byte> buffer, CsvField first) =>
        first.Start > 0 && buffer[first.Start - 1] == (byte)'"' ? first.Start - 1 : first.Start;

    private static string[] Texts(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields)
    {
        var scratch = Array.Empty<byte>();
        var texts = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            texts[i] = System.Text.Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref scratch));
        }

        return texts;
    }
}
