using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Flywheel.Monitoring;
using Flywheel.Pipelines;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Telemetry;

/// <summary>The metrics both hosts export (FlywheelTelemetry.Meters), observed the way an OpenTelemetry exporter sees them.</summary>
public sealed class FlywheelMetricsTests
{
    [Fact]
    public async Task Ingest_and_predictions_record_flywheel_metrics_tagged_by_dataset_and_model()
    {
        using var metrics = new Measurements();
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var dataset = $"metrics-{Guid.NewGuid():N}"[..30];
        var csv = "a,b\n1,x\n2,y\n3,z\n";

        using var upload = new StringContent(csv, Encoding.UTF8, "text/csv");
        var put = await client.PutAsync(new Uri($"api/datasets/{dataset}", UriKind.Relative), upload);
        var register = await ModelFiles.RegisterAsync(client, dataset, ModelFiles.IrisZipMap);
        using var request = new StringContent("""{"instances":[[5.1,3.5,1.4,0.2]]}""", Encoding.UTF8, "application/json");
        var predict = await client.PostAsync(new Uri($"api/models/{dataset}/predict", UriKind.Relative), request);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.Created, register);
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(csv), metrics.Sum("flywheel.ingest.bytes", "dataset", dataset));
        Assert.Equal(3, metrics.Sum("flywheel.ingest.rows", "dataset", dataset));
        Assert.Equal(1, metrics.Count("flywheel.ingest.duration", "dataset", dataset));
        Assert.Equal(1, metrics.Sum("flywheel.predictions", "model", dataset));
        Assert.Equal(1, metrics.Count("flywheel.prediction.duration", "model", dataset));
    }

    [Fact]
    public void Drift_and_pipeline_instruments_record_scores_detections_and_durations()
    {
        using var metrics = new Measurements();
        using var drift = new DriftMetrics();
        using var pipelines = new PipelineMetrics();
        var subject = $"drift-{Guid.NewGuid():N}";

        drift.Measured(subject, "age", "psi", 0.05, drifted: false);
        drift.Measured(subject, "income", "psi", 0.31, drifted: true);
        pipelines.Completed(subject, "succeeded", TimeSpan.FromSeconds(42));

        Assert.Equal(2, metrics.Count("flywheel.drift.score", "subject", subject));
        Assert.Equal(1, metrics.Sum("flywheel.drift.detected", "subject", subject));
        Assert.Equal(42, metrics.Sum("flywheel.pipeline.duration", "pipeline", subject));
    }

    /// <summary>Listens to every Flywheel meter; tests tell their own measurements apart by a unique tag value.</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _seen = new();

        public Measurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (FlywheelTelemetry.Meters.Contains(instrument.Meter.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public double Sum(string instrument, string tag, string value) => Matching(instrument, tag, value).Sum(m => m.Value);

        public int Count(string instrument, string tag, string value) => Matching(instrument, tag, value).Count();

        public void Dispose() => _listener.Dispose();

        private IEnumerable<(string Instrument, double Value, Dictionary<string, object?> Tags)> Matching(string instrument, string tag, string value) =>
            _seen.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault(tag), value));

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _seen.Enqueue((instrument.Name, value, copy));
        }
    }
}
