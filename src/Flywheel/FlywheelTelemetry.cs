using Flywheel.Datasets.Ingest;
using Flywheel.Monitoring;
using Flywheel.Pipelines;
using Flywheel.Serving.Observation;

namespace Flywheel;

/// <summary>Flywheel's own meters and activity sources, named once so both hosts export the same telemetry.</summary>
public static class FlywheelTelemetry
{
    public static IReadOnlyList<string> Meters { get; } =
        [ServingStats.MeterName, IngestMetrics.MeterName, DriftMetrics.MeterName, PipelineMetrics.MeterName];

    public static IReadOnlyList<string> ActivitySources { get; } = [ServingStats.MeterName];
}
