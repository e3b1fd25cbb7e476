namespace Flywheel.Serving.Signal;

/// <summary>
/// Latencies counted in fixed log-scale buckets, the same on every instance so counts add up across instances and
/// minutes: bucket k holds latencies up to <see cref="UpperBoundMs"/>(k) = 0.05 ms x 2^(k/8) (each bound about 9%
/// above the last), from 0.05 ms to about 3.5 minutes; the last bucket takes everything slower.
/// </summary>
public static class LatencyHistogram
{
    public const int BucketCount = 177;
    private const double FirstBoundMs = 0.05;
    private const double BucketsPerDoubling = 8;

    public static double UpperBoundMs(int bucket) => FirstBoundMs * Math.Pow(2, bucket / BucketsPerDoubling);

    public static int Bucket(double milliseconds)
    {
        if (!(milliseconds > FirstBoundMs))
        {
            return 0;
        }

        // The smallest k whose bound holds the value; the small tolerance keeps a value on a bound in that bucket.
        var k = (int)Math.Ceiling((BucketsPerDoubling * Math.Log2(milliseconds / FirstBoundMs)) - 1e-9);
        return Math.Min(k, BucketCount - 1);
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0-1) of the counted latencies, as the upper bound of the bucket it falls in:
    /// never below the true value, at most one bucket (about 9%) above it. NaN when nothing was counted.
    /// </summary>
    public static double Quantile(IReadOnlyList<long> counts, double quantile)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfNegative(quantile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var k = 0; k < counts.Count; k++)
        {
            seen += counts[k];
            if (seen >= rank)
            {
                return UpperBoundMs(k);
            }
        }

        return UpperBoundMs(counts.Count - 1);
    }
}
