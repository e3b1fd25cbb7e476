using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Flywheel.Monitoring;

/// <summary>
/// Drift telemetry: the score of every feature check (PSI, Wasserstein, chi-squared, ...) and a
/// count of checks that crossed their threshold, per monitored subject (a model or a dataset).
/// The Azure Monitor drift alert (infra/app/observability.bicep) fires on
/// <c>flywheel.drift.detected</c>.
/// </summary>
public sealed class DriftMetrics : IDisposable
{
    public const string MeterName = "Flywheel.Monitoring";
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _score;
    private readonly Counter<long> _detected;

    public DriftMetrics()
    {
        _score = _meter.CreateHistogram<double>("flywheel.drift.score", "1", "Drift score of one feature check");
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

    public void Dispose() => _meter.Dispose();
}
