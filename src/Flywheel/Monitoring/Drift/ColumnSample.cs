using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Flywheel.Datasets.Columns;

namespace Flywheel.Monitoring.Drift;

/// <summary>One column's non-missing values from one side of a comparison: numbers (numerical columns) and the count of each value.</summary>
public sealed class ColumnSample
{
    /// <summary>More distinct numbers than the tests ever count (<see cref="DriftDetection.FewValues"/>), so "many" is known exactly.</summary>
    public const int NumericalCountLimit = 64;

    // One array the size of the version's rows: growing a list would copy large arrays again and again (each a large-object allocation).
    private double[]? _numbers;
    private int _numberCount;
    private readonly Dictionary<double, long> _numberCounts = [];
    private readonly TextCounts _text = new();
    private Dictionary<string, long>? _counts;
    private double[]? _sorted;

    /// <param name="rows">The version's row count: a numerical column holds at most that many numbers.</param>
    public ColumnSample(bool numerical, long rows)
    {
        _numbers = numerical ? new double[rows] : null;
    }

    /// <summary>
    /// A dataset version's column as stored beside its content, already sorted and counted; null
    /// when the stored column left the view out (too many distinct values to keep).
    /// </summary>
    internal static ColumnSample? From(StoredColumn stored, bool numerical)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (numerical)
        {
            if (stored.ReadNumbers() is not { } numbers)
            {
                return null;
            }

            var sample = new ColumnSample(numerical: true, rows: 0) { Missing = stored.Missing, TypeErrors = stored.TypeErrors, Rows = numbers.Total };
            sample._numbers = sample._sorted = numbers.Expand();
            sample._numberCount = sample._numbers.Length;
            foreach (var value in numbers.Values.AsSpan(0, numbers.Length))
            {
                // NaN is counted but, as when read from cells, never a bound.
                sample.Min = Math.Min(sample.Min, double.IsNaN(value) ? double.PositiveInfinity : value);
                sample.Max = Math.Max(sample.Max, double.IsNaN(value) ? double.NegativeInfinity : value);
            }

            if (numbers.Length > NumericalCountLimit)
            {
                sample.ManyValues = true;
            }
            else
            {
                for (var i = 0; i < numbers.Length; i++)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(sample._numberCounts, numbers.Values[i], out _) += numbers.Counts[i];
                }
            }

            return sample.Freeze();
        }

        if (stored.Text is not { } text)
        {
            return null;
        }

        var categorical = new ColumnSample(numerical: false, rows: 0) { Missing = stored.Missing, Rows = stored.Values };
        foreach (var (value, count) in text)
        {
            categorical._text.Counts[value] = count;
        }

        return categorical.Freeze();
    }

    /// <summary>The label of the bucket <see cref="TopAndOther"/> gathers every other value in.</summary>
    public const string Other = "(other)";

    public bool Numerical => _numbers is not null;

    /// <summary>
    /// A categorical sample with only <paramref name="keep"/>'s values, every other value (one the
    /// reference never had included) counted as <see cref="Other"/>: a column with many categories is
    /// compared on its frequent ones, so a window that samples its long tail unevenly is not drift.
    /// </summary>
    public ColumnSample TopAndOther(IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var collapsed = new ColumnSample(numerical: false, rows: 0) { Missing = Missing, Rows = Rows };
        foreach (var (value, count) in Counts)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(collapsed._text.Counts, keep.Contains(value) ? value : Other, out _) += count;
        }

        return collapsed.Freeze();
    }

    public long Rows { get; private set; }

    public long Missing { get; private set; }

    /// <summary>Cells of a numerical column whose text is not a finite number (a data quality signal, left out of the tests).</summary>
    public long TypeErrors { get; private set; }

    /// <summary>The smallest number (numerical columns with values).</summary>
    public double Min { get; private set; } = double.PositiveInfinity;

    /// <summary>The largest number (numerical columns with values).</summary>
    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>The numbers in the order they came (sorted once <see cref="Sorted"/> was read): for statistics that need no order.</summary>
    public ReadOnlySpan<double> Numbers => _numbers.AsSpan(0, _numberCount);

    /// <summary>Every cell seen: values, missing and type errors.</summary>
    public long Cells => Rows + Missing + TypeErrors;

    /// <summary>Whether a numerical column has more distinct values than it counts (<see cref="NumericalCountLimit"/>).</summary>
    public bool ManyValues { get; private set; }

    /// <summary>
    /// How often each value occurs (numbers as their shortest round-trip text). A numerical column
    /// stops counting past <see cref="NumericalCountLimit"/> distinct values: the tests only count
    /// the values of columns with a few, and a million distinct numbers would not fit the budget.
    /// </summary>
    public Dictionary<string, long> Counts => _counts ??= Numerical
        ? _numberCounts.ToDictionary(p => p.Key.ToString("R", CultureInfo.InvariantCulture), p => p.Value, StringComparer.Ordinal)
        : _text.Counts;

    /// <summary>The numbers, sorted ascending once (every test and the histogram read them so).</summary>
    public double[] Sorted => _sorted ??= Sort();

    /// <summary>Adds a JSON cell (a logged request's or answer's value): a string as its text, a number or boolean as JSON spells it, anything else (null, absent) as missing.</summary>
    public void Add(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                Add(Encoding.UTF8.GetBytes(value.GetString()!), missing: false);
                break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                Add(JsonMarshal.GetRawUtf8Value(value), missing: false);
                break;
            default:
                Add([], missing: true);
                break;
        }
    }

    /// <summary>Adds a cell; a numerical column's text that is not a finite number (as profiling reads numbers) counts as a type error.</summary>
    public void Add(ReadOnlySpan<byte> utf8, bool missing)
    {
        if (missing)
        {
            Missing++;
            return;
        }

        if (_numbers is not null)
        {
            if (!ValueParser.TryFloat(utf8, out var number))
            {
                TypeErrors++;
                return;
            }

            if (_numberCount == _numbers.Length)
            {
                Array.Resize(ref _numbers, Math.Max(16, _numbers.Length * 2));
            }

            _numbers[_numberCount++] = number;
            Rows++;
            if (number < Min)
            {
                Min = number;
            }

            if (number > Max)
            {
                Max = number;
            }

            if (ManyValues)
            {
                return;
            }

            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_numberCounts, number, out var known);
            count++;
            if (!known && _numberCounts.Count > NumericalCountLimit)
            {
                ManyValues = true;
                _numberCounts.Clear();
            }

            return;
        }

        Rows++;
        _text.Add(utf8);
    }

    /// <summary>
    /// Sorts the numbers and builds the counts now, after which the sample only answers reads, so
    /// several threads may read one sample at once.
    /// </summary>
    public ColumnSample Freeze()
    {
        _ = Sorted;
        _ = Counts;
        return this;
    }

    private double[] Sort()
    {
        if (_numbers is null)
        {
            return [];
        }

        // Sorted in place: the unsorted order is never needed again.
        if (_numberCount < _numbers.Length)
        {
            Array.Resize(ref _numbers, _numberCount);
        }

        Datasets.Columns.NumberOrder.Sort(_numbers);
        return _numbers;
    }
}
