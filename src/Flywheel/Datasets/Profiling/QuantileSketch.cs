using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Profiling;

/// <summary>
/// A DDSketch: values fall into logarithmic buckets, so every quantile is answered within 1% relative
/// error in bounded memory, and two sketches merge exactly. The buckets double as the data a
/// histogram on any bin edges is computed from, which is what drift detection reuses.
/// </summary>
public sealed class QuantileSketch
{
    public const double RelativeAccuracy = 0.01;
    private const int MaxBuckets = 2048;
    private static readonly double s_gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double s_logGamma = Math.Log(s_gamma);
    private const double MinIndexable = 1e-9;

    // Integer columns (ages, counts, codes) repeat small values: their buckets, by the same formula, are looked up instead of a logarithm a value.
    private static readonly int[] s_smallIndexes = [.. Enumerable.Range(0, 1024).Select(i => i == 0 ? 0 : Index(i))];

    private readonly BucketStore _positive = new();
    private readonly BucketStore _negative = new();

    public long ZeroCount { get; private set; }

    public long Count => ZeroCount + _positive.Total + _negative.Total;

    public void Add(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return;
        }

        if (value > MinIndexable)
        {
            _positive.Add(IndexOf(value), 1);
        }
        else if (value < -MinIndexable)
        {
            _negative.Add(IndexOf(-value), 1);
        }
        else
        {
            ZeroCount++;
        }
    }

    /// <summary>
    /// Adds another sketch's buckets: bucket counts sum, so the result equals one sketch of both
    /// sketches' values, with one exception. A side whose values span more than 2,048 buckets (a ratio
    /// above about 10^17 between its largest and smallest magnitude) has folded its lowest buckets into
    /// one; merged, those values stay folded at that side's fold point, which may be above where one
    /// sketch of all the values would fold. Quantiles above both fold points are unaffected.
    /// </summary>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ZeroCount += other.ZeroCount;
        _positive.Merge(other._positive);
        _negative.Merge(other._negative);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), or NaN when empty.</summary>
    public double Quantile(double q)
    {
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Floor(Math.Clamp(q, 0, 1) * (count - 1));
        long seen = 0;
        foreach (var (index, bucketCount) in _negative.Descending())
        {
            seen += bucketCount;
            if (seen > rank)
            {
                return -Value(index);
            }
        }

        seen += ZeroCount;
        if (seen > rank)
        {
            return 0;
        }

        foreach (var (index, bucketCount) in _positive.Ascending())
        {
            seen += bucketCount;
            if (seen > rank)
            {
                return Value(index);
            }
        }

        return Value(_positive.MaxIndex);
    }

    /// <summary>Counts per bin for the given ascending edges; values outside go to the first or last bin.</summary>
    public long[] Histogram(IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var bins = Math.Max(edges.Count - 1, 1);
        var counts = new long[bins];
        foreach (var (index, bucketCount) in _negative.Ascending())
        {
            counts[HistogramEdges.BinOf(edges, -Value(index))] += bucketCount;
        }

        if (ZeroCount > 0)
        {
            counts[HistogramEdges.BinOf(edges, 0)] += ZeroCount;
        }

        foreach (var (index, bucketCount) in _positive.Ascending())
        {
            counts[HistogramEdges.BinOf(edges, Value(index))] += bucketCount;
        }

        return counts;
    }

    public SketchData ToData() => new(RelativeAccuracy, ZeroCount, _positive.ToData(), _negative.ToData());

    public static QuantileSketch FromData(SketchData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sketch = new QuantileSketch { ZeroCount = data.Zero };
        sketch._positive.Load(data.Positive);
        sketch._negative.Load(data.Negative);
        return sketch;
    }

    private static int IndexOf(double magnitude) =>
        magnitude < s_smallIndexes.Length && (int)magnitude == magnitude ? s_smallIndexes[(int)magnitude] : Index(magnitude);

    private static int Index(double value) => (int)Math.Ceiling(Math.Log(value) / s_logGamma);

    // The bucket's representative value: the point whose relative distance to both bounds is equal.
    private static double Value(int index) => 2 * Math.Pow(s_gamma, index) / (s_gamma + 1);

    private sealed class BucketStore
    {
        private long[] _counts = [];
        private int _offset;

        public long Total { get; private set; }

        public int MaxIndex => _offset + _counts.Length - 1;

        public void Add(int index, long count)
        {
            if (_counts.Length == 0)
            {
                _counts = new long[64];
                _offset = index - 32;
            }

            if (index < _offset || index >= _offset + _counts.Length)
            {
                Grow(index);
                index = Math.Max(index, _offset);
            }

            _counts[index - _offset] += count;
            Total += count;
        }

        public void Merge(BucketStore other)
        {
            foreach (var (index, count) in other.Ascending())
            {
                Add(index, count);
            }
        }

        public IEnumerable<(int Index, long Count)> Ascending()
        {
            for (var i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] != 0)
                {
                    yield return (_offset + i, _counts[i]);
                }
            }
        }

        public IEnumerable<(int Index, long Count)> Descending()
        {
            for (var i = _counts.Length - 1; i >= 0; i--)
            {
                if (_counts[i] != 0)
                {
                    yield return (_offset + i, _counts[i]);
                }
            }
        }

        public BucketData ToData()
        {
            var first = Array.FindIndex(_counts, c => c != 0);
            if (first < 0)
            {
                return new BucketData(0, []);
            }

            var last = Array.FindLastIndex(_counts, c => c != 0);
            return new BucketData(_offset + first, _counts[first..(last + 1)]);
        }

        public void Load(BucketData data)
        {
            for (var i = 0; i < data.Counts.Length; i++)
            {
                if (data.Counts[i] != 0)
                {
                    Add(data.Offset + i, data.Counts[i]);
                }
            }
        }

        private void Grow(int index)
        {
            var low = Math.Min(index, _offset);
            var high = Math.Max(index, _offset + _counts.Length - 1);
            var span = high - low + 1;
            if (span > MaxBuckets)
            {
                // Keep the upper tail exact and fold the lowest buckets together: the relative
                // error guarantee then holds for every quantile above the folded range.
                low = high - MaxBuckets + 1;
                span = MaxBuckets;
            }

            var length = Math.Min(Math.Max(span, _counts.Length * 2), MaxBuckets);
            var newOffset = low - ((length - span) / 2);
            var counts = new long[length];
            for (var i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] != 0)
                {
                    counts[Math.Max(_offset + i - newOffset, 0)] += _counts[i];
                }
            }

            _counts = counts;
            _offset = newOffset;
        }
    }
}
