using System.Runtime.InteropServices;
using System.Text;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Datasets.Columns;

/// <summary>
/// Builds a <see cref="StoredColumn"/> from a column's cells in one pass and bounded memory. Cells
/// are read the way drift has always read them: a number is what <see cref="ValueParser.TryFloat"/>
/// accepts, anything else is a type error.
/// <list type="bullet">
/// <item>Numbers are counted in a small table while the column has at most <see cref="FewNumbers"/>
/// distinct ones (ages, counts, flags: no sorting at all); past that they are buffered, sorted and
/// counted in runs, and runs are merged as written bytes. Numbers whose counts outgrow the column's
/// byte budget are given up.</item>
/// <item>Text values are counted up to <see cref="TextLimit"/> distinct ones.</item>
/// <item>Each column keeps the view its values call for: once the first <see cref="Probe"/> values
/// were all numbers the text counts are given up, and once they were all type errors the numbers
/// are. A view given up is read from the content in the rare comparison that needs it (a column
/// numerical in one version and text in the other).</item>
/// </list>
/// </summary>
internal sealed class ColumnCollector
{
    /// <summary>Distinct text values counted at most: more is an identifier, not a category.</summary>
    public const int TextLimit = 10_000;

    /// <summary>Values seen before a column's unused view is given up.</summary>
    public const int Probe = 1_024;

    /// <summary>Distinct numbers counted in a table before the column switches to sorted runs.</summary>
    public const int FewNumbers = 4_096;

    private const int RunsBeforeMerge = 16;

    private readonly int _runValues;
    private readonly int _fewNumbers;
    private readonly long _budgetBytes;
    private readonly List<byte[]> _runs = [];
    private Dictionary<string, long>? _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
    private Dictionary<long, long>? _few = [];
    private double[]? _buffer;
    private int _buffered;
    private long _runBytes;
    private bool _noNumbers;
    private long _values;
    private long _missing;
    private long _typeErrors;

    /// <param name="runValues">Numbers buffered before they are sorted into a run.</param>
    /// <param name="budgetBytes">Largest encoded size of the column's numbers.</param>
    public ColumnCollector(int runValues, long budgetBytes)
    {
        _runValues = runValues;
        _budgetBytes = budgetBytes;

        // The table costs about 32 bytes a number: within the column's budget too (a file 10,000 columns wide).
        _fewNumbers = (int)Math.Clamp(budgetBytes / 32, 16, FewNumbers);
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
        if (_text is not null)
        {
            CountText(utf8);
        }

        if (!_noNumbers)
        {
            if (ValueParser.TryFloat(utf8, out var number))
            {
                AddNumber(number);
            }
            else
            {
                _typeErrors++;
            }
        }

        if (_values == Probe)
        {
            if (_typeErrors == 0)
            {
                _text = null;
            }
            else if (_typeErrors == _values)
            {
                DropNumbers();
            }
        }
    }

    public StoredColumn Finish()
    {
        byte[]? numbers = null;
        if (!_noNumbers)
        {
            if (_few is not null)
            {
                numbers = Written(Few());
            }
            else
            {
                Spill();
                numbers = _noNumbers ? null : NumberCounts.Merge(_runs);
            }
        }

        // Type errors are counted with the numbers, and mean nothing without them.
        var result = new StoredColumn(_values, _missing, _noNumbers ? 0 : _typeErrors, numbers, _text);
        _runs.Clear();
        (_buffer, _few, _text) = (null, null, null);
        return result;
    }

    private void AddNumber(double number)
    {
        if (_few is not null)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_few, BitConverter.DoubleToInt64Bits(number), out _);
            count++;
            if (_few.Count <= _fewNumbers)
            {
                return;
            }

            // Many distinct numbers: what was counted becomes the first run, and runs take over.
            var counted = Few();
            _few = null;
            _buffer = new double[_runValues];
            AddRun(Written(counted));
            return;
        }

        if (_buffer is null)
        {
            return; // the numbers outgrew their budget
        }

        _buffer[_buffered++] = number;
        if (_buffered == _buffer.Length)
        {
            Spill();
        }
    }

    private NumberCounts Few()
    {
        var keys = _few!.Keys.Select(bits => BitConverter.Int64BitsToDouble(bits)).ToArray();
        NumberOrder.Sort(keys);
        return NumberCounts.Of(keys, [.. keys.Select(k => _few[BitConverter.DoubleToInt64Bits(k)])]);
    }

    private void CountText(ReadOnlySpan<byte> utf8)
    {
        var chars = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        Span<char> text = chars <= 256 ? stackalloc char[chars] : new char[chars];
        text = text[..Encoding.UTF8.GetChars(utf8, text)];
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_textLookup, text, out var known);
        count++;
        if (!known && _text!.Count > TextLimit)
        {
            _text = null;
        }
    }

    // Sorts the buffered numbers into a run, written compactly; merges the runs once there are many.
    private void Spill()
    {
        if (_buffered == 0 || _buffer is null)
        {
            return;
        }

        var numbers = _buffer.AsSpan(0, _buffered);
        NumberOrder.Sort(numbers);
        _buffered = 0;
        AddRun(Written(NumberCounts.OfSorted(numbers)));
        if (_runs.Count >= RunsBeforeMerge && !_noNumbers)
        {
            var merged = NumberCounts.Merge(_runs);
            _runs.Clear();
            _runs.Add(merged);
            _runBytes = merged.Length;
        }
    }

    private void AddRun(byte[] run)
    {
        _runBytes += run.Length;
        _runs.Add(run);
        if (_runBytes <= _budgetBytes)
        {
            return;
        }

        // Runs repeat values the merge counts once: only the merged size says whether the numbers fit.
        var merged = NumberCounts.Merge(_runs);
        _runs.Clear();
        if (merged.Length > _budgetBytes)
        {
            DropNumbers();
            return;
        }

        _runs.Add(merged);
        _runBytes = merged.Length;
    }

    private void DropNumbers()
    {
        _noNumbers = true;
        _runs.Clear();
        (_buffer, _few, _runBytes) = (null, null, 0);
    }

    private static byte[] Written(NumberCounts counts)
    {
        var writer = new ColumnWriter();
        counts.Write(writer);
        return writer.ToArray();
    }
}
