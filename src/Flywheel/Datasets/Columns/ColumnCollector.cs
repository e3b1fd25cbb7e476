using System.Runtime.InteropServices;
using System.Text;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Datasets.Columns;

/// <summary>
/// Builds a <see cref="StoredColumn"/> from a column's cells in one pass and bounded memory:
/// numbers are buffered, sorted and counted in runs, and runs are merged as they pile up; text
/// values are counted up to <see cref="TextLimit"/> distinct ones. Numbers whose counts outgrow
/// the column's byte budget are given up (a column of a billion distinct floats is read from the
/// content when compared, as before). Cells are read the way drift has always read them: a
/// number is what <see cref="ValueParser.TryFloat"/> accepts.
/// </summary>
internal sealed class ColumnCollector
{
    /// <summary>Distinct text values counted at most: more is an identifier, not a category.</summary>
    public const int TextLimit = 10_000;

    private const int RunsBeforeMerge = 16;

    private readonly int _runValues;
    private readonly long _budgetBytes;
    private readonly Dictionary<string, long> _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
    private readonly List<byte[]> _runs = [];
    private double[]? _buffer;
    private int _buffered;
    private long _runBytes;
    private bool _tooManyNumbers;
    private bool _tooManyTexts;
    private long _values;
    private long _missing;
    private long _typeErrors;

    /// <param name="runValues">Numbers buffered before they are sorted into a run.</param>
    /// <param name="budgetBytes">Largest encoded size of the column's numbers.</param>
    public ColumnCollector(int runValues, long budgetBytes)
    {
        // Grown up to runValues as numbers come: a file ten thousand columns wide and three rows long needs little.
        _buffer = new double[Math.Min(runValues, 64)];
        _runValues = runValues;
        _budgetBytes = budgetBytes;
        _textLookup = _text.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Collectors for a file's columns, sharing <paramref name="budgetBytes"/>: buffers and runs stay within it whatever the width.</summary>
    public static ColumnCollector[] For(int columns, long budgetBytes)
    {
        var perColumn = budgetBytes / Math.Max(1, columns);
        var runValues = (int)Math.Clamp(perColumn / 4 / sizeof(double), 1_024, 65_536);
        return [.. Enumerable.Range(0, columns).Select(_ => new ColumnCollector(runValues, perColumn))];
    }

    public void Add(ReadOnlySpan<byte> utf8, bool missing)
    {
        if (missing)
        {
            _missing++;
            return;
        }

        _values++;
        if (!_tooManyTexts)
        {
            CountText(utf8);
        }

        if (!ValueParser.TryFloat(utf8, out var number))
        {
            _typeErrors++;
            return;
        }

        if (_buffer is null)
        {
            return;
        }

        if (_buffered == _buffer.Length)
        {
            if (_buffer.Length < _runValues)
            {
                Array.Resize(ref _buffer, Math.Min(_runValues, _buffer.Length * 4));
            }
            else
            {
                Spill();
                if (_buffer is null)
                {
                    return; // the numbers outgrew their budget
                }
            }
        }

        _buffer[_buffered++] = number;
    }

    public StoredColumn Finish()
    {
        byte[]? numbers = null;
        if (_buffer is not null)
        {
            Spill();
            numbers = NumberCounts.Merge(_runs);
        }

        _runs.Clear();
        _buffer = null;
        return new StoredColumn(_values, _missing, _typeErrors, numbers, _tooManyTexts ? null : _text);
    }

    private void CountText(ReadOnlySpan<byte> utf8)
    {
        var chars = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        Span<char> text = chars <= 256 ? stackalloc char[chars] : new char[chars];
        text = text[..Encoding.UTF8.GetChars(utf8, text)];
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_textLookup, text, out var known);
        count++;
        if (!known && _text.Count > TextLimit)
        {
            _tooManyTexts = true;
            _text.Clear();
            _text.TrimExcess();
        }
    }

    // Sorts the buffered numbers into a run, written compactly; merges the runs once there are many.
    private void Spill()
    {
        if (_buffered == 0 || _tooManyNumbers)
        {
            return;
        }

        var numbers = _buffer.AsSpan(0, _buffered);
        NumberOrder.Sort(numbers);
        AddRun(NumberCounts.OfSorted(numbers));
        _buffered = 0;
        if (_runs.Count >= RunsBeforeMerge && !_tooManyNumbers)
        {
            var merged = NumberCounts.Merge(_runs);
            _runs.Clear();
            _runs.Add(merged);
            _runBytes = merged.Length;
        }
    }

    private void AddRun(NumberCounts run)
    {
        var writer = new ColumnWriter();
        run.Write(writer);
        _runBytes += writer.Length;
        _runs.Add(writer.ToArray());
        if (_runBytes <= _budgetBytes)
        {
            return;
        }

        // Runs repeat values the merge counts once: only the merged size says whether the numbers fit.
        var merged = NumberCounts.Merge(_runs);
        _runs.Clear();
        if (merged.Length > _budgetBytes)
        {
            _tooManyNumbers = true;
            _buffer = null;
            _runBytes = 0;
            return;
        }

        _runs.Add(merged);
        _runBytes = merged.Length;
    }
}
