using System.Diagnostics;
using System.Diagnostics.Metrics;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Ingest;

/// <summary>
/// Ingest telemetry: bytes and rows read, and how long each file took, per dataset and outcome
/// (created, existing, rejected). Bytes over duration is the ingest throughput the workbook charts.
/// </summary>
public sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "Flywheel.Datasets";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _rows;
    private readonly Histogram<double> _duration;

    public IngestMetrics()
    {
        _bytes = _meter.CreateCounter<long>("flywheel.ingest.bytes", "By", "Bytes read by dataset ingest");
        _rows = _meter.CreateCounter<long>("flywheel.ingest.rows", "{row}", "Data rows read by dataset ingest");
        _duration = _meter.CreateHistogram<double>("flywheel.ingest.duration", "s", "Time to hash, parse, profile and store one file");
    }

    public void Ingested(string dataset, IngestOutcome outcome, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var tags = new TagList { { "dataset", dataset }, { "outcome", outcome.Status.ToString().ToLowerInvariant() } };
        _bytes.Add(outcome.Version?.SizeBytes ?? outcome.Report?.SizeBytes ?? 0, tags);
        _rows.Add(outcome.Version?.Rows ?? 0, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}
