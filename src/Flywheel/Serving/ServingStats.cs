using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Flywheel.Contracts.Datasets;
using Flywheel.Serving.Signal;

namespace Flywheel.Serving;

/// <summary>
/// Serving telemetry: OpenTelemetry metrics (requests, latency, errors by kind, per model and
/// version) and traces, the per-version request counts a deployment reports on this instance, and the
/// serving signal every instance writes to storage for canary judgement (<see cref="ServingSignal"/>).
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

    public void Served(string model, int version, int rows, double milliseconds, bool shadow = false)
    {
        var tags = _tags.GetOrAdd((model, version, shadow), static key =>
            [new("model", key.Model), new("version", key.Version.ToString(CultureInfo.InvariantCulture)), new("shadow", key.Shadow)]);
        _requests.Add(1, tags);
        _latency.Record(milliseconds, tags);
        _signal?.Served(model, version, milliseconds);
        if (!shadow)
        {
            _counts.AddOrUpdate((model, version), 1, (_, n) => n + 1);
        }
    }

    public void Failed(string model, string kind) => _errors.Add(1, new TagList { { "model", model }, { "kind", kind } });

    public IReadOnlyDictionary<string, long> Counts(string model) =>
        _counts.Where(c => c.Key.Model == model).OrderBy(c => c.Key.Version).ToDictionary(c => c.Key.Version.ToString(CultureInfo.InvariantCulture), c => c.Value, StringComparer.Ordinal);

    public void Dispose() => _meter.Dispose();
}
