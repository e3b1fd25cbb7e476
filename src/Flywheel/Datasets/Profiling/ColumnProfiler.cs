using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Flywheel.Contracts.Datasets;
using Flywheel.Datasets.Columns;

namespace Flywheel.Datasets.Profiling;

/// <summary>
/// Profiles one column in a single pass and bounded memory: type inference by elimination,
/// Welford mean/variance, a DDSketch for quantiles and histograms, HyperLogLog for distinct
/// values, heavy hitters for top values. Checks the column's contract rule on every value.
/// </summary>
public sealed class ColumnProfiler
{
    private const int CategoricalMaxDistinct = 50;
    private const int TopCount = 10;
    private const int HistogramBins = 10;
    private static readonly double[] s_quantiles = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

    private readonly string _name;
    private readonly ColumnRule? _rule;
    private readonly HashSet<string>? _allowed;
    private readonly HyperLogLog _distinct = new();
    private readonly TopValues _top = new();
    private readonly QuantileSketch _sketch = new();
    private Candidates _candidates = Candidates.All;
    private long _count;
    private long _missing;
    private double _mean;
    private double _m2;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private long _minTicks = long.MaxValue;
    private long _maxTicks = long.MinValue;

    public ColumnProfiler(string name, ColumnRule? rule)
    {
        _name = name;
        _rule = rule;
        if (rule?.Allowed is { } allowed)
        {
            _allowed = new HashSet<string>(allowed, StringComparer.Ordinal);
        }
    }

    [Flags]
    private enum Candidates
    {
        None = 0,
        Integer = 1,
        Float = 2,
        Boolean = 4,
        DateTime = 8,
        All = Integer | Float | Boolean | DateTime,
    }

    public string Name => _name;

    public void ObserveMissing(long line, long row, DataProblems problems)
    {
        _missing++;
        if (_rule is { Nullable: false })
        {
            problems.Add("null-value", $"Column '{_name}' must not be missing.", _name, line, row, value: "");
        }
    }

    public void Observe(ReadOnlySpan<byte> value, long line, long row, DataProblems problems)
    {
        _count++;
        var hash = XxHash3.HashToUInt64(value);
        _distinct.Add(hash);
        _top.Add(hash, value);

        if ((_candidates & (Candidates.Integer | Candidates.Float)) != 0)
        {
            double number = 0;
            var numeric = false;
            if ((_candidates & Candidates.Integer) != 0 && ValueParser.TryInteger(value, out var integer))
            {
                number = integer;
                numeric = true;
            }
            else
            {
                _candidates &= ~Candidates.Integer;
                numeric = (_candidates & Candidates.Float) != 0 && ValueParser.TryFloat(value, out number);
                if (!numeric)
                {
                    _candidates &= ~Candidates.Float;
                }
            }

            if (numeric)
            {
                AddNumber(number);
            }
        }

        if ((_candidates & Candidates.Boolean) != 0 && !ValueParser.TryBoolean(value, out _))
        {
            _candidates &= ~Candidates.Boolean;
        }

        if ((_candidates & Candidates.DateTime) != 0)
        {
            if (ValueParser.TryDateTime(value, out var instant))
            {
                _minTicks = Math.Min(_minTicks, instant.Ticks);
                _maxTicks = Math.Max(_maxTicks, instant.Ticks);
            }
            else
            {
                _candidates &= ~Candidates.DateTime;
            }
        }

        if (_rule is not null)
        {
            Check(value, line, row, problems);
        }
    }

    public ColumnType InferredType => _count == 0 ? ColumnType.String : _candidates switch
    {
        var c when (c & Candidates.Integer) != 0 => ColumnType.Integer,
        var c when (c & Candidates.Float) != 0 => ColumnType.Float,
        var c when (c & Candidates.Boolean) != 0 => ColumnType.Boolean,
        var c when (c & Candidates.DateTime) != 0 => ColumnType.DateTime,
        _ => ColumnType.String,
    };

    public ColumnProfile Build()
    {
        var type = InferredType;
        var distinct = Math.Min(_distinct.Estimate(), _count);
        if (_top.Exact)
        {
            // While every value is tracked the exact distinct count is known.
            distinct = _top.All().Count;
        }

        var numeric = type is ColumnType.Integer or ColumnType.Float && _count > 0;
        return new ColumnProfile
        {
            Type = type,
            Nullable = _missing > 0,
            Categorical = type is ColumnType.String or ColumnType.Boolean && _count > 0 && distinct <= CategoricalMaxDistinct,
            Count = _count,
            Missing = _missing,
            Distinct = distinct,
            Mean = numeric ? _mean : null,
            Std = numeric && _count > 1 ? Math.Sqrt(_m2 / (_count - 1)) : null,
            Min = numeric ? _min : type == ColumnType.DateTime ? Iso(_minTicks) : null,
            Max = numeric ? _max : type == ColumnType.DateTime ? Iso(_maxTicks) : null,
            Quantiles = numeric ? s_quantiles.ToDictionary(q => q.ToString(CultureInfo.InvariantCulture), q => Quantile(q, type)) : null,
            Histogram = numeric ? NumericHistogram(type) : null,
            Top = type == ColumnType.Float || _count == 0 || _top.Abandoned ? null : _top.Top(TopCount),
            TopExact = type == ColumnType.Float || _count == 0 || _top.Abandoned ? null : _top.Exact,
            Sketch = numeric ? _sketch.ToData() : null,
        };
    }

    // Sketch values carry 1% relative error; an integer column's quantiles are integers.
    private double Quantile(double q, ColumnType type)
    {
        var value = Math.Clamp(_sketch.Quantile(q), _min, _max);
        return type == ColumnType.Integer ? Math.Round(value) : value;
    }

    private void AddNumber(double number)
    {
        var delta = number - _mean;
        _mean += delta / _count;
        _m2 += delta * (number - _mean);
        _min = Math.Min(_min, number);
        _max = Math.Max(_max, number);
        _sketch.Add(number);
    }

    // Welford counts only numeric values; when a column stays numeric every value is numeric,
    // so _count is the right divisor for the values that reach AddNumber.
    private Histogram NumericHistogram(ColumnType type)
    {
        var edges = HistogramEdges.For(_min, _max, type == ColumnType.Integer, HistogramBins);
        long[] counts;
        if (_top.Exact)
        {
            // Few distinct values: bin them exactly instead of through the sketch.
            counts = new long[edges.Count - 1];
            foreach (var (text, count) in _top.All())
            {
                if (ValueParser.TryFloat(Encoding.UTF8.GetBytes(text), out var number))
                {
                    counts[HistogramEdges.BinOf(edges, number)] += count;
                }
            }
        }
        else
        {
            counts = _sketch.Histogram(edges);
        }

        return new Histogram(edges, counts);
    }

    private void Check(ReadOnlySpan<byte> value, long line, long row, DataProblems problems)
    {
        var rule = _rule!;
        if (rule.Type is { } expected && !ValueParser.Fits(value, expected))
        {
            problems.Add("type-mismatch", $"Column '{_name}' must hold {expected.ToString().ToLowerInvariant()} values.", _name, line, row, Encoding.UTF8.GetString(value));
            return;
        }

        if ((rule.Min is not null || rule.Max is not null) && ValueParser.TryFloat(value, out var number)
            && (number < rule.Min || number > rule.Max))
        {
            problems.Add("out-of-range", $"Column '{_name}' must be within [{rule.Min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {rule.Max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}].", _name, line, row, Encoding.UTF8.GetString(value));
        }

        if (_allowed is not null)
        {
            var text = Encoding.UTF8.GetString(value);
            if (!_allowed.Contains(text))
            {
                problems.Add("not-allowed", $"Column '{_name}' allows only: {string.Join(", ", rule.Allowed!)}.", _name, line, row, text);
            }
        }
    }

    /// <summary>
    /// Adds another part of the same column's rows (profiled on another thread) to this one. Exact,
    /// as if one profiler had seen both parts' values: counts, missing, min and max, the inferred
    /// type, the HyperLogLog registers (register-wise max) and the quantile sketch's buckets (bucket
    /// sums; see <see cref="QuantileSketch.Merge"/> for the one exception). Mean and variance merge
    /// by Chan et al.'s pairwise update: both it and a single pass carry rounding error of about 1e-16
    /// times the ratio of mean to standard deviation, so they agree within 1e-12 relative unless a
    /// column's mean is thousands of times its spread (tested on every shared dataset). Top values: see <see cref="TopValues.Merge"/>.
    /// </summary>
    public void Merge(ColumnProfiler other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _missing += other._missing;
        _candidates &= other._candidates;
        _distinct.Merge(other._distinct);
        _top.Merge(other._top);
        _sketch.Merge(other._sketch);
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
        _minTicks = Math.Min(_minTicks, other._minTicks);
        _maxTicks = Math.Max(_maxTicks, other._maxTicks);
        var count = _count + other._count;
        if (other._count > 0)
        {
            var delta = other._mean - _mean;
            var share = (double)other._count / count;
            _m2 += other._m2 + (delta * delta * _count * share);
            _mean += delta * share;
        }

        _count = count;
    }

    private static string? Iso(long ticks) =>
        ticks is long.MaxValue or long.MinValue ? null : new DateTime(ticks, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
}
