using System.Runtime.InteropServices;

namespace Flywheel.Datasets.Columns;

/// <summary>
/// Builds a <see cref="StoredColumn"/> from a column's cells in one pass and bounded memory. Cells
/// are read the way drift has always read them: a number is what <see cref="ValueParser.TryFloat"/>
/// accepts, anything else is a type error.
/// <list type="bullet">
/// <item>Numbers are counted in a table while the column's distinct ones fit its budget (ages,
/// counts, prices, ratios: no sorting at all); past that they are buffered, sorted and
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

    private readonly int _runValues;
    private readonly int _fewNumbers;
    private readonly long _budgetBytes;
    private readonly Func<double>? _readShare;
    private readonly List<byte[]> _runs = [];
    private TextCounts? _text = new();
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
    public ColumnCollector(int runValues, long budgetBytes, Func<double>? readShare = null)
    {
        _readShare = readShare;
        _runValues = runValues;
        _budgetBytes = budgetBytes;

        // The table costs about 32 bytes a distinct number, within the column's budget: a column of prices
        // or ratios with tens of thousands of values is counted without sorting, and a file 10,000
        // columns wide keeps small tables.
        _fewNumbers = (int)Math.Clamp(budgetBytes / 32, 16, int.MaxValue);
    }

    /// <summary>Collectors for a file's columns, sharing <paramref name="budgetBytes"/>: buffers and runs stay within it whatever the width.</summary>
    /// <param name="readShare">
    /// The share of the file read so far, when its size is known: numbers whose runs, scaled to the
    /// whole file, would take more than twice the column's share are given up then, rather than
    /// sorted and merged until they outgrow it (a column of ids or unrounded floats in a 1 GB file).
    /// </param>
    public static ColumnCollector[] For(int columns, long budgetBytes, Func<double>? readShare = null)
    {
        var perColumn = budgetBytes / Math.Max(1, columns);
        var runValues = (int)Math.Clamp(perColumn / 4 / sizeof(double), 1_024, 65_536);
        return [.. Enumerable.Range(0, columns).Select(_ => new ColumnCollector(runValues, perColumn, readShare))];
    }

    public void Add(ReadOnlySpan<byte> utf8, bool missing)
    {
        if (missing)
        {
            _missing++;
            return;
        }

        _values++;
        if (_text?.Add(utf8) == true && _text.Counts.Count > TextLimit)
        {
            _text = null;
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
                numbers = Few().ToBytes();
            }
            else
            {
                Spill();
                numbers = _noNumbers ? null : NumberCounts.Merge(_runs);
            }
        }

        // Type errors are counted with the numbers, and mean nothing without them.
        var result = new StoredColumn(_values, _missing, _noNumbers ? 0 : _typeErrors, numbers, _text?.Counts);
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
            AddRun(counted.ToBytes());
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

    // Sorts the buffered numbers into a run, written compactly.
    private void Spill()
    {
        if (_buffered == 0 || _buffer is null)
        {
            return;
        }

        var numbers = _buffer.AsSpan(0, _buffered);
        NumberOrder.Sort(numbers);
        _buffered = 0;
        AddRun(NumberCounts.OfSorted(numbers).ToBytes());
    }

    private void AddRun(byte[] run)
    {
        _runs.Add(run);
        _runBytes += run.Length;

        // Runs stay a stack of sizes at least doubling downwards, merging the top two while they are
        // alike (as an LSM tree does): each value is merged a logarithmic number of times, and values
        // repeated across runs are counted once early, so the sum of the runs stays close to the
        // column's merged size.
        while (_runs.Count >= 2 && _runs[^2].Length <= 2 * _runs[^1].Length)
        {
            var merged = NumberCounts.Merge([_runs[^2], _runs[^1]]);
            _runBytes += merged.Length - _runs[^2].Length - _runs[^1].Length;
            _runs.RemoveRange(_runs.Count - 2, 2);
            _runs.Add(merged);
        }

        if (_readShare?.Invoke() is > 0.01 and var share && _runBytes / share > 2 * _budgetBytes)
        {
            DropNumbers();
            return;
        }

        if (_runBytes <= _budgetBytes)
        {
            return;
        }

        // Only the merged size says whether the numbers fit.
        var all = NumberCounts.Merge(_runs);
        _runs.Clear();
        if (all.Length > _budgetBytes)
        {
            DropNumbers();
            return;
        }

        _runs.Add(all);
        _runBytes = all.Length;
    }

    private void DropNumbers()
    {
        _noNumbers = true;
        _runs.Clear();
        (_buffer, _few, _runBytes) = (null, null, 0);
    }
}
