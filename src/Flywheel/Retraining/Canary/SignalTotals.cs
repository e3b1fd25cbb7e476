using Flywheel.Serving.Signal;

namespace Flywheel.Retraining.Canary;

/// <summary>
/// One version's serving signal summed over an interval and over every instance that served it: what the canary
/// judge compares. Latencies are counted in <see cref="LatencyHistogram"/>'s buckets; agreement counts the shadowed
/// requests on which this version and the champion gave the same answer; labels count the answers themselves.
/// </summary>
public sealed record SignalTotals(
    long Requests,
    long Errors,
    IReadOnlyList<long> Latency,
    long ShadowCompared,
    long ShadowAgreed,
    IReadOnlyDictionary<string, long> Labels)
{
    public static SignalTotals Empty { get; } = new(0, 0, new long[LatencyHistogram.BucketCount], 0, 0, new Dictionary<string, long>());

    public double ErrorRate => Requests == 0 ? double.NaN : (double)Errors / Requests;

    public double LatencyP99Ms => LatencyHistogram.Quantile(Latency, 0.99);
}
