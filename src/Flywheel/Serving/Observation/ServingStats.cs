using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Flywheel.Contracts.Datasets;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Signal;

namespace Flywheel.Serving.Observation;

/// <summary>
/// Serving telemetry: OpenTelemetry metrics (requests, latency, errors by kind, per model and
/// version) and traces, the per-version request counts a deployment reports on this instance, and the
/// serving signal every instance writes to storage for canary judgement (<see cref="ServingSignal"/>; none when
/// <see cref="ServingOptions.Signal"/> is off).
/// </summary>
public sealed class ServingStats : IDisposable
{
    private readonly ServingSignal? _signal;
    public const string MeterName = "Flywheel.Serving";
    public static readonly ActivitySource Activities = new(MeterName);
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _errors;
    private readonly ConcurrentDictionary<(string Model, int Version), long> _counts = new();

    // A request's tags, made once per model, version and role: a version's text and a boxed flag per request were garbage.
    private readonly ConcurrentDictionary<(string Model, int Version, bool Shadow), KeyValuePair<string, object?>[]> _tags = new();

    public ServingStats(ServingSignal? signal = null)
    {
        _signal = signal;
        _requests = _meter.CreateCounter<long>("flywheel.predictions", "{request}", "Prediction requests served");
        _latency = _meter.CreateHistogram<double>("flywheel.prediction.duration", "ms", "Time to score one prediction request");
        _errors = _meter.CreateCounter<long>("flywheel.prediction.errors", "{request}", "Prediction requests that failed, by kind");
    }

    /// <summary>A request <paramref name="version"/> answered (live, or as the shadow), its answers (the signal counts a classifier's labels) and how long it took.</summary>
    public void Served(string model, int version, IReadOnlyList<object?> predictions, double milliseconds, bool shadow = false)
    {
        CountRequest(model, version, milliseconds, shadow);
        _signal?.Served(model, version, milliseconds, predictions, shadow);
    }

    /// <summary>A request <paramref name="version"/> answered with these outputs for <paramref name="rows"/> rows (the Open Inference Protocol: no predictions are shaped unless logged).</summary>
    public void Served(string model, int version, IReadOnlyList<OutputValue> outputs, int rows, double milliseconds)
    {
        CountRequest(model, version, milliseconds, shadow: false);
        _signal?.Served(model, version, milliseconds, OutputShaper.Classifier(outputs, rows)?.Label, rows);
    }

    private void CountRequest(string model, int version, double milliseconds, bool shadow)
    {
        var tags = _tags.GetOrAdd((model, version, shadow), static key =>
            [new("model", key.Model), new("version", key.Version.ToString(CultureInfo.InvariantCulture)), new("shadow", key.Shadow)]);
        _requests.Add(1, tags);
        _latency.Record(milliseconds, tags);
        if (!shadow)
        {
            _counts.AddOrUpdate((model, version), 1, (_, n) => n + 1);
        }
    }

    public void Failed(string model, string kind) => _errors.Add(1, new TagList { { "model", model }, { "kind", kind } });

    /// <summary>
    /// Counts <paramref name="exception"/> against <paramref name="version"/>, the version chosen to answer, when it is
    /// the version's failure (<see cref="VersionFault"/>), and returns false: used as a catch filter
    /// (<c>catch (Exception ex) when (stats.CountedFailure(...))</c>), it counts without catching and without a closure.
    /// </summary>
    public bool CountedFailure(string model, int version, Exception exception)
    {
        if (VersionFault.Is(exception))
        {
            _signal?.Failed(model, version);
        }

        return false;
    }

    /// <summary>The shadow <paramref name="version"/> failed to score a request the answering version scored: always its failure.</summary>
    public void ShadowFailed(string model, int version)
    {
        Failed(model, "shadow");
        _signal?.Failed(model, version, shadow: true);
    }

    /// <summary>A shadowed request: whether the shadow <paramref name="version"/> agreed with the answering one (<see cref="PredictionAnswers.Agrees"/>).</summary>
    public void Compared(string model, int version, bool agreed) => _signal?.Compared(model, version, agreed);

    public IReadOnlyDictionary<string, long> Counts(string model) =>
        _counts.Where(c => c.Key.Model == model).OrderBy(c => c.Key.Version).ToDictionary(c => c.Key.Version.ToString(CultureInfo.InvariantCulture), c => c.Value, StringComparer.Ordinal);

    public void Dispose() => _meter.Dispose();
}
