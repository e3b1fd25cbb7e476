using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Datasets.Parsing;

/// <summary>
/// Feeds a CSV file into a <see cref="DatasetProfiler"/>: header first, then every row, reporting
/// ragged rows. Parsing and profiling overlap: the rows of each buffer go, with a copy of its
/// bytes, to a profiling task through a two-batch queue, and that task profiles the columns in
/// parallel. So all cores of a small machine work while memory stays a few buffers.
/// </summary>
public sealed class CsvDatasetReader(DatasetProfiler profiler, DataProblems problems) : ICsvRecordHandler
{
    private const int MaxUnreadableProblems = 10_000;
    private readonly Channel<Batch> _batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    private readonly Channel<Batch> _spare = Channel.CreateUnbounded<Batch>();
    private byte[] _headerScratch = new byte[256];
    private Batch _current = new();
    private bool _headerRead;
    private long _unreadable;

    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var profiling = Task.Run(() => ProfileBatchesAsync(cancellationToken), cancellationToken);
        try
        {
            await new CsvReader().ReadAsync(stream, this, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _batches.Writer.TryComplete();
            await profiling.ConfigureAwait(false);
        }
    }

    public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
    {
        if (!_headerRead)
        {
            _headerRead = true;
            var names = new string[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                names[i] = Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _headerScratch));
            }

            return profiler.SetHeader(names, line);
        }

        profiler.BeginRow();
        if (fields.Length != profiler.ColumnCount)
        {
            problems.Add("ragged-row", "Every row must have as many fields as the header.", null, line, profiler.Rows,
                $"{fields.Length} fields, expected {profiler.ColumnCount}", unreadable: true);
            return ++_unreadable < MaxUnreadableProblems;
        }

        _current.Add(fields, line, profiler.Rows);
        return true;
    }

    public async ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (_current.Count == 0)
        {
            return;
        }

        _current.CopyBytes(buffer, length);
        await _batches.Writer.WriteAsync(_current, cancellationToken).ConfigureAwait(false);
        _current = _spare.Reader.TryRead(out var spare) ? spare : new Batch();
    }

    public bool OnProblem(string kind, string message, long line)
    {
        problems.Add(kind, message, null, line, _headerRead ? profiler.Rows + 1 : null, unreadable: true);
        return ++_unreadable < MaxUnreadableProblems;
    }

    private async Task ProfileBatchesAsync(CancellationToken cancellationToken)
    {
        // Columns are the work items, so a cheap column never waits for an expensive one.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await foreach (var batch in _batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Parallel.For(0, profiler.ColumnCount, parallel, column => Profile(batch, column));
            batch.Clear();
            _spare.Writer.TryWrite(batch);
        }
    }

    // One column over the whole batch: that column's profiler state stays hot in cache.
    private void Profile(Batch batch, int column)
    {
        var columns = profiler.ColumnCount;
        var scratch = Array.Empty<byte>(); // grown only by fields with doubled quotes
        for (var row = 0; row < batch.Count; row++)
        {
            profiler.Observe(column, CsvReader.Value(batch.Bytes, batch.Cells[(row * columns) + column], ref scratch), batch.Lines[row], batch.Rows[row]);
        }
    }

    /// <summary>The rows of one buffer: field positions, and a copy of the bytes they point into.</summary>
    private sealed class Batch
    {
        public byte[] Bytes { get; private set; } = [];

        public CsvField[] Cells { get; private set; } = new CsvField[4096];

        public long[] Lines { get; private set; } = new long[256];

        public long[] Rows { get; private set; } = new long[256];

        public int Count { get; private set; }

        private int _cellCount;

        public void Add(ReadOnlySpan<CsvField> fields, long line, long row)
        {
            if (_cellCount + fields.Length > Cells.Length)
            {
                var cells = Cells;
                Array.Resize(ref cells, Math.Max(Cells.Length * 2, _cellCount + fields.Length));
                Cells = cells;
            }

            if (Count == Lines.Length)
            {
                var lines = Lines;
                var rows = Rows;
                Array.Resize(ref lines, Lines.Length * 2);
                Array.Resize(ref rows, Rows.Length * 2);
                Lines = lines;
                Rows = rows;
            }

            fields.CopyTo(Cells.AsSpan(_cellCount));
            _cellCount += fields.Length;
            Lines[Count] = line;
            Rows[Count] = row;
            Count++;
        }

        public void CopyBytes(byte[] buffer, int length)
        {
            if (Bytes.Length < length)
            {
                if (Bytes.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(Bytes);
                }

                Bytes = ArrayPool<byte>.Shared.Rent(length);
            }

            buffer.AsSpan(0, length).CopyTo(Bytes);
        }

        public void Clear()
        {
            Count = 0;
            _cellCount = 0;
        }
    }
}
