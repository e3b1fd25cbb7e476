using System.Globalization;
using System.Text;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Monitoring.Drift;

/// <summary>One column's non-missing values from one side of a comparison: numbers (numerical columns) or the count of each value (every column).</summary>
public sealed class ColumnSample
{
    private readonly List<double>? _numbers;

    public ColumnSample(bool numerical)
    {
        _numbers = numerical ? [] : null;
    }

    public bool Numerical => _numbers is not null;

    public long Rows { get; private set; }

    public long Missing { get; private set; }

    /// <summary>
    /// How often each value occurs (numbers as their shortest round-trip text). A numerical column
    /// stops counting past <see cref="NumericalCountLimit"/> distinct values: the tests only count
    /// the values of columns with a few, and a million distinct numbers would not fit the budget.
    /// </summary>
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>More distinct numbers than the tests ever count (<see cref="DriftDetection.FewValues"/>), so "many" is known exactly.</summary>
    public const int NumericalCountLimit = 64;

    /// <summary>Whether a numerical column has more distinct values than <see cref="Counts"/> holds.</summary>
    public bool ManyValues { get; private set; }

    private double[]? _sorted;

    /// <summary>The numbers, sorted ascending once (every test and the histogram read them so).</summary>
    public double[] Sorted => _sorted ??= Sort();

    private double[] Sort()
    {
        var sorted = _numbers is null ? [] : _numbers.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Adds a cell: null is missing; a numerical column's text that is not a number counts as missing too.</summary>
    public void Add(string? value)
    {
        if (value is null)
        {
            Missing++;
            return;
        }

        string key = value;
        if (_numbers is not null)
        {
            if (!TryNumber(value, out var number))
            {
                Missing++;
                return;
            }

            _numbers.Add(number);
            Rows++;
            if (ManyValues)
            {
                return;
            }

            key = number.ToString("R", CultureInfo.InvariantCulture);
            if (!Counts.ContainsKey(key) && Counts.Count == NumericalCountLimit)
            {
                ManyValues = true;
                Counts.Clear();
                return;
            }

            Counts[key] = Counts.GetValueOrDefault(key) + 1;
            return;
        }

        Rows++;
        Counts[key] = Counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>A number as profiling reads one (<see cref="ValueParser.TryFloat"/>: finite only).</summary>
    private static bool TryNumber(string value, out double number)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = max <= 256 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(value, utf8);
        return ValueParser.TryFloat(utf8[..length], out number);
    }
}
