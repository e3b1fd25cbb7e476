using System.Diagnostics;
using System.Diagnostics.Metrics;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Pipelines;

/// <summary>Pipeline telemetry: how long each training or retraining run took, by pipeline and outcome.</summary>
public sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "Flywheel.Pipelines";
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;

    public PipelineMetrics() =>
        _duration = _meter.CreateHistogram<double>("flywheel.pipeline.duration", "s", "Wall-clock time of one pipeline run");

    public void Completed(string pipeline, string outcome, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new TagList { { "pipeline", pipeline }, { "outcome", outcome } });

    public void Dispose() => _meter.Dispose();
}
