using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Flywheel.Serving.Outputs;

namespace Flywheel.Serving.Signal;

/// <summary>
/// This instance's serving counts per model version and minute: requests, errors, latencies in
/// <see cref="LatencyHistogram"/>'s buckets, a classifier's predicted labels, and shadow comparisons with the version that answered. Counting is
/// a dictionary lookup and a few interlocked increments on the request path; <see cref="SignalFlusher"/> writes
/// the minutes to storage, where every instance's counts are summed (<see cref="SignalStore"/>).
/// </summary>
public sealed class ServingSignal(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Model, int Version, long Minute), MinuteCounts> _minutes = new();

    /// <summary>The most distinct labels counted per version and minute; the rest are counted under <see cref="OtherLabel"/>.</summary>
    public const int MaxLabels = 32;

    /// <summary>Where labels beyond the first <see cref="MaxLabels"/> of a version's minute are counted.</summary>
    public const string OtherLabel = "(other)";

    /// <summary>A request this version answered (live, or as the shadow), and how long it took.</summary>
    public void Served(string model, int version, double milliseconds, bool shadow = false) => Count(model, version, milliseconds, shadow);

    /// <summary>
    /// A request this version answered, how long it took, and its answers: a classifier's predicted label per row is
    /// counted (<see cref="PredictionAnswers.Label"/>; a regressor's answers are not). Shaped predictions are read from
    /// their outputs, never made into the rows' objects.
    /// </summary>
    public void Served(string model, int version, double milliseconds, IReadOnlyList<object?> predictions, bool shadow = false)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions is ShapedPredictions shaped)
        {
            Served(model, version, milliseconds, shaped.LabelOutput, shaped.Count, shadow);
            return;
        }

        var counts = Count(model, version, milliseconds, shadow);
        for (var row = 0; row < predictions.Count; row++)
        {
            if (PredictionAnswers.Label(predictions, row) is not { } label)
            {
                return;
            }

            counts.Label(label);
        }
    }

    /// <summary>
    /// A request this version answered, how long it took, and the classifier's label output for its <paramref name="rows"/>
    /// rows (null for other models). A label is text the output holds already, or a class index's cached text, for the
    /// usual models: counting it allocates nothing.
    /// </summary>
    public void Served(string model, int version, double milliseconds, OutputValue? labels, int rows, bool shadow = false)
    {
        var counts = Count(model, version, milliseconds, shadow);
        for (var row = 0; labels is not null && row < rows; row++)
        {
            counts.Label(labels.LabelText(row));
        }
    }

    private Tally Count(string model, int version, double milliseconds, bool shadow)
    {
        var counts = Counts(model, version).Of(shadow);
        Interlocked.Increment(ref counts.Requests);
        Interlocked.Increment(ref counts.Latency[LatencyHistogram.Bucket(milliseconds)]);
        return counts;
    }

    /// <summary>A request this version was chosen for (or shadowed) and failed.</summary>
    public void Failed(string model, int version, bool shadow = false)
    {
        var counts = Counts(model, version).Of(shadow);
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

    /// <summary>A version's minute: what it answered live and what it answered as the shadow, kept apart.</summary>
    private sealed class MinuteCounts
    {
        public long ShadowCompared;
        public long ShadowAgreed;

        public Tally Live { get; } = new();

        public Tally Shadow { get; } = new();

        public Tally Of(bool shadow) => shadow ? Shadow : Live;

        public SignalCounts Totals() =>
            Live.Totals(Volatile.Read(ref ShadowCompared), Volatile.Read(ref ShadowAgreed)) with { Shadow = Shadow.Totals(Volatile.Read(ref ShadowCompared), Volatile.Read(ref ShadowAgreed)) };
    }

    /// <summary>
    /// Requests, errors, latencies and labels of one kind of traffic. Shadow scoring is timed off the request path
    /// (parsing included) and only on the requests it takes, so its latencies are never mixed with live ones.
    /// </summary>
    private sealed class Tally
    {
        public long Requests;
        public long Errors;
        public readonly long[] Latency = new long[LatencyHistogram.BucketCount];

        // Read without a lock on every answered row; only a label not seen yet this minute takes the lock (and every label past the
        // first MaxLabels, which only a model with that many classes has).
        private readonly ConcurrentDictionary<string, StrongBox<long>> _labels = new(StringComparer.Ordinal);
        private readonly Lock _adding = new();
        private int _distinct;

        public void Label(string label)
        {
            if (!_labels.TryGetValue(label, out var count))
            {
                count = Add(label);
            }

            Interlocked.Increment(ref count.Value);
        }

        public SignalCounts Totals(long compared, long agreed)
        {
            var latency = new long[Latency.Length];
            for (var k = 0; k < latency.Length; k++)
            {
                latency[k] = Volatile.Read(ref Latency[k]);
            }

            return new SignalCounts(Volatile.Read(ref Requests), Volatile.Read(ref Errors), latency, compared, agreed)
            {
                Labels = _labels.ToDictionary(l => l.Key, l => Volatile.Read(ref l.Value.Value), StringComparer.Ordinal),
            };
        }

        private StrongBox<long> Add(string label)
        {
            lock (_adding)
            {
                if (_labels.TryGetValue(label, out var count))
                {
                    return count;
                }

                if (_distinct < MaxLabels && label != OtherLabel)
                {
                    _distinct++;
                    return _labels.GetOrAdd(label, static _ => new StrongBox<long>());
                }

                return _labels.GetOrAdd(OtherLabel, static _ => new StrongBox<long>());
            }
        }
    }
}

/// <summary>
/// One version's serving counts: in one minute on one instance, or summed over minutes and instances (what the canary
/// judge compares). The top-level counts are live traffic; <see cref="Shadow"/> holds the shadow's. Latencies are counted in <see cref="LatencyHistogram"/>'s buckets; agreement counts the shadowed
/// requests on which this version and the answering one agreed; <see cref="Labels"/> counts the labels a classifier
/// predicted (empty for other models), at most <see cref="ServingSignal.MaxLabels"/> distinct ones per version and minute
/// with the rest under <see cref="ServingSignal.OtherLabel"/>.
/// </summary>
public sealed record SignalCounts(long Requests, long Errors, IReadOnlyList<long> Latency, long ShadowCompared, long ShadowAgreed)
{
    public IReadOnlyDictionary<string, long> Labels { get; init; } = new Dictionary<string, long>();

    /// <summary>What the version answered as the shadow (requests, errors, latencies, labels), apart from its live answers above; null when not counted.</summary>
    public SignalCounts? Shadow { get; init; }

    public double ErrorRate => Requests == 0 ? double.NaN : (double)Errors / Requests;

    public double LatencyP99Ms => LatencyHistogram.Quantile(Latency, 0.99);
}

/// <summary>One model version's counts in one minute on this instance.</summary>
public sealed record SignalMinute(string Model, int Version, long Minute, SignalCounts Counts);
