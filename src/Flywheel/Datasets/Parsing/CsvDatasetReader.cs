using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Datasets.Parsing;

/// <summary>
/// Feeds a CSV file into a <see cref="DatasetProfiler"/>: header first, then every row, reporting
/// ragged rows. Parsing and profiling overlap, and rows are split across cores: the rows of each
/// buffer go, with a copy of its bytes, as a batch to the workers in turn (batch n to worker n mod W),
/// and each worker profiles its batches into a <see cref="ProfilePart"/> of its own, made in worker
/// order after the header and merged in that order at the end. Workers share no state, and the same
/// file always deals the same rows to the same parts, so it always gives the same profile. Stored columns, which decide what to keep
/// from the first values they see, take the same batches in file order on one more task. Memory
/// stays a few buffers per worker.
/// </summary>
public sealed class CsvDatasetReader : ICsvRecordHandler
{
    private const int MaxUnreadableProblems = 10_000;
    private readonly DatasetProfiler _profiler;
    private readonly DataProblems _problems;
    private readonly int _workers;
    private readonly int _bufferSize;
    private readonly Channel<Batch>[] _batches;
    private ProfilePart[] _parts = [];
    private long _dealt;
    private readonly Channel<Batch> _toCollect = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    private readonly Channel<Batch> _spare = Channel.CreateUnbounded<Batch>();
    private byte[] _headerScratch = new byte[256];
    private Batch _current = new();
    private bool _headerRead;
    private long _unreadable;

    /// <param name="workers">Threads that profile rows (default: one per core); 1 profiles every row on one thread.</param>
    /// <param name="bufferSize">The reader's buffer, and so the most bytes a batch of rows holds.</param>
    public CsvDatasetReader(DatasetProfiler profiler, DataProblems problems, int? workers = null, int bufferSize = CsvReader.DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(profiler);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers ?? 1, 1, nameof(workers));
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1024, nameof(bufferSize));
        _profiler = profiler;
        _problems = problems;
        _workers = workers ?? Environment.ProcessorCount;
        _bufferSize = bufferSize;
        _batches = [.. Enumerable.Range(0, _workers).Select(_ => Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true }))];
    }

    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, _workers).Select(w => Run(ct => ProfileBatchesAsync(w, ct), stop)).Append(Run(CollectBatchesAsync, stop)).ToList();
        try
        {
            await new CsvReader(_bufferSize).ReadAsync(stream, this, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only a failed worker stops the read this way: awaiting the workers below throws its exception.
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        finally
        {
            foreach (var batches in _batches)
            {
                batches.Writer.TryComplete();
            }

            _toCollect.Writer.TryComplete();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    // A failing worker stops the read and the other workers, so nothing waits on a queue it no longer empties.
    private static Task Run(Func<CancellationToken, Task> work, CancellationTokenSource stop) => Task.Run(async () =>
    {
        try
        {
            await work(stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    });

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

            if (!_profiler.SetHeader(names, line))
            {
                return false;
            }

            _parts = [.. Enumerable.Range(0, _workers).Select(_ => _profiler.NewPart())];
            return true;
        }

        _profiler.BeginRow();
        if (fields.Length != _profiler.ColumnCount)
        {
            _problems.Add("ragged-row", "Every row must have as many fields as the header.", null, line, _profiler.Rows,
                $"{fields.Length} fields, expected {_profiler.ColumnCount}", unreadable: true);
            return ++_unreadable < MaxUnreadableProblems;
        }

        _current.Add(fields, line, _profiler.Rows);
        return true;
    }

    public async ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (_current.Count == 0)
        {
            return;
        }

        _current.CopyBytes(buffer, length);
        var collect = _profiler.Collects;
        _current.Pending = collect ? 2 : 1;
        await _batches[_dealt++ % _workers].Writer.WriteAsync(_current, cancellationToken).ConfigureAwait(false);
        if (collect)
        {
            await _toCollect.Writer.WriteAsync(_current, cancellationToken).ConfigureAwait(false);
        }

        _current = _spare.Reader.TryRead(out var spare) ? spare : new Batch();
    }

    public bool OnProblem(string kind, string message, long line)
    {
        _problems.Add(kind, message, null, line, _headerRead ? _profiler.Rows + 1 : null, unreadable: true);
        return ++_unreadable < MaxUnreadableProblems;
    }

    private async Task ProfileBatchesAsync(int worker, CancellationToken cancellationToken)
    {
        var scratch = Array.Empty<byte>(); // grown only by fields with doubled quotes
        await foreach (var batch in _batches[worker].Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            // Batches come after the header, so the worker's part exists.
            var part = _parts[worker];
            var columns = _profiler.ColumnCount;

            // One column over the whole batch: that column's profiler state stays hot in cache.
            for (var column = 0; column < columns; column++)
            {
                for (var row = 0; row < batch.Count; row++)
                {
                    part.Observe(column, CsvReader.Value(batch.Bytes, batch.Cells[(row * columns) + column], ref scratch), batch.Lines[row], batch.Rows[row]);
                }
            }

            Release(batch);
        }
    }

    private async Task CollectBatchesAsync(CancellationToken cancellationToken)
    {
        var scratch = Array.Empty<byte>();
        await foreach (var batch in _toCollect.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var columns = _profiler.ColumnCount;
            for (var column = 0; column < columns; column++)
            {
                for (var row = 0; row < batch.Count; row++)
                {
                    _profiler.Collect(column, CsvReader.Value(batch.Bytes, batch.Cells[(row * columns) + column], ref scratch));
                }
            }

            Release(batch);
        }
    }

    // A batch is reused once every task that takes it is done with it.
    private void Release(Batch batch)
    {
        if (Interlocked.Decrement(ref batch.Pending) == 0)
        {
            batch.Clear();
            _spare.Writer.TryWrite(batch);
        }
    }

    /// <summary>The rows of one buffer: field positions, and a copy of the bytes they point into.</summary>
    private sealed class Batch
    {
        public int Pending;

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
