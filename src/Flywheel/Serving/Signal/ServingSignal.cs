using System.Collections.Concurrent;

namespace Flywheel.Serving.Signal;

/// <summary>
/// This instance's serving counts per model version and minute: requests, errors, latencies in
/// <see cref="LatencyHistogram"/>'s buckets, and shadow comparisons with the version that answered. Counting is
/// a dictionary lookup and a few interlocked increments on the request path; <see cref="SignalFlusher"/> writes
/// the minutes to storage, where every instance's counts are summed (<see cref="SignalStore"/>).
/// </summary>
public sealed class ServingSignal(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Model, int Version, long Minute), MinuteCounts> _minutes = new();

    /// <summary>A request this version answered (live or as the shadow), and how long it took.</summary>
    public void Served(string model, int version, double milliseconds)
    {
        var counts = Counts(model, version);
        Interlocked.Increment(ref counts.Requests);
        Interlocked.Increment(ref counts.Latency[LatencyHistogram.Bucket(milliseconds)]);
    }

    /// <summary>A request this version was chosen for and failed.</summary>
    public void Failed(string model, int version)
    {
        var counts = Counts(model, version);
        Interlocked.Increment(ref counts.Requests);
        Interlocked.Increment(ref counts.Errors);
    }

    /// <summary>A shadowed request: whether this (shadow) version agreed with the version that answered.</summary>
    public void Compared(string model, int version, bool agreed)
    {
        var counts = Counts(model, version);
        Interlocked.Increment(ref counts.ShadowCompared);
        if (agreed)
        {
            Interlocked.Increment(ref counts.ShadowAgreed);
        }
    }

    /// <summary>The minute <paramref name="at"/> falls in, as minutes since the Unix epoch: the key every instance shares.</summary>
    public static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    /// <summary>A copy of every minute counted so far, for the flusher.</summary>
    internal IReadOnlyList<SignalMinute> Snapshot() =>
        [.. _minutes.Select(m => new SignalMinute(m.Key.Model, m.Key.Version, m.Key.Minute, m.Value.Totals()))];

    /// <summary>Drops the minutes before <paramref name="minute"/> once they are written: no request adds to them any more.</summary>
    internal void Forget(long minute)
    {
        foreach (var key in _minutes.Keys)
        {
            if (key.Minute < minute)
            {
                _minutes.TryRemove(key, out _);
            }
        }
    }

    internal long CurrentMinute => MinuteOf(time.GetUtcNow());

    private MinuteCounts Counts(string model, int version) =>
        _minutes.GetOrAdd((model, version, CurrentMinute), static _ => new MinuteCounts());

    private sealed class MinuteCounts
    {
        public long Requests;
        public long Errors;
        public long ShadowCompared;
        public long ShadowAgreed;
        public readonly long[] Latency = new long[LatencyHistogram.BucketCount];

        public SignalCounts Totals()
        {
            var latency = new long[Latency.Length];
            for (var k = 0; k < latency.Length; k++)
            {
                latency[k] = Volatile.Read(ref Latency[k]);
            }

            return new SignalCounts(Volatile.Read(ref Requests), Volatile.Read(ref Errors), latency, Volatile.Read(ref ShadowCompared), Volatile.Read(ref ShadowAgreed));
        }
    }
}

/// <summary>
/// One version's serving counts: in one minute on one instance, or summed over minutes and instances (what the canary
/// judge compares). Latencies are counted in <see cref="LatencyHistogram"/>'s buckets; agreement counts the shadowed
/// requests on which this version and the answering one agreed; <see cref="Labels"/> counts the answers themselves
/// where they are known (none yet: the signal does not count labels).
/// </summary>
public sealed record SignalCounts(long Requests, long Errors, IReadOnlyList<long> Latency, long ShadowCompared, long ShadowAgreed)
{
    public IReadOnlyDictionary<string, long> Labels { get; init; } = new Dictionary<string, long>();

    public double ErrorRate => Requests == 0 ? double.NaN : (double)Errors / Requests;

    public double LatencyP99Ms => LatencyHistogram.Quantile(Latency, 0.99);
}

/// <summary>One model version's counts in one minute on this instance.</summary>
public sealed record SignalMinute(string Model, int Version, long Minute, SignalCounts Counts);
