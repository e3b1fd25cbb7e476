using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Flywheel.Monitoring;

/// <summary>
/// Drift telemetry: the latest score of every feature check (PSI, Wasserstein, chi-squared, ...)
/// and the share of drifted features as gauges, and a count of checks that crossed their
/// threshold, per monitored subject (a model or a dataset).
/// The Azure Monitor drift alert (infra/app/observability.bicep) fires on
/// <c>flywheel.drift.detected</c>.
/// </summary>
public sealed class DriftMetrics : IDisposable
{
    public const string MeterName = "Flywheel.Monitoring";
    private readonly Meter _meter = new(MeterName);
    private readonly Gauge<double> _score;
    private readonly Gauge<double> _share;
    private readonly Counter<long> _detected;

    public DriftMetrics()
    {
        _score = _meter.CreateGauge<double>("flywheel.drift.score", "1", "Latest drift score of one feature check");
        _share = _meter.CreateGauge<double>("flywheel.drift.share", "1", "Share of a subject's features that drifted in its latest check");
        _detected = _meter.CreateCounter<long>("flywheel.drift.detected", "{check}", "Feature checks whose drift score crossed the threshold");
    }

    public void Measured(string subject, string feature, string method, double score, bool drifted)
    {
        var tags = new TagList { { "subject", subject }, { "feature", feature }, { "method", method } };
        _score.Record(score, tags);
        if (drifted)
        {
            _detected.Add(1, tags);
        }
    }

    public void Checked(string subject, double share) => _share.Record(share, new KeyValuePair<string, object?>("subject", subject));

    public void Dispose() => _meter.Dispose();
}
