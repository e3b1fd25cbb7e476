namespace Flywheel.Contracts.Retraining;

/// <summary>
/// What a canary's candidate must show against the champion over each interval. The defaults are Flagger's and
/// Kayenta's: at most 1% errors, p99 at most 500 ms, no worse than the champion beyond the margins below when the
/// difference is significant (p &lt; <see cref="Significance"/>).
/// </summary>
public sealed record CanaryChecks
{
    public ErrorRateCheck ErrorRate { get; init; } = new();

    public LatencyCheck LatencyP99Ms { get; init; } = new();

    public AgreementCheck Agreement { get; init; } = new();

    public OutputDriftCheck OutputDrift { get; init; } = new();

    /// <summary>The p-value under which a difference from the champion counts (Kayenta's default confidence is 95%).</summary>
    public double Significance { get; init; } = 0.05;
}

/// <param name="Max">The highest share of failed requests the candidate may have.</param>
/// <param name="MaxAboveChampion">How far above the champion's rate it may be, when the difference is significant.</param>
public sealed record ErrorRateCheck(double Max = 0.01, double MaxAboveChampion = 0.005);

/// <param name="Max">The highest p99 latency, in milliseconds.</param>
/// <param name="MaxRatioToChampion">The highest ratio to the champion's p99, when the candidate is significantly slower (Mann-Whitney U).</param>
/// <param name="MinDifferenceMs">
/// How many milliseconds slower than the champion's p99 the candidate must also be to fail on the ratio: at a fraction of a
/// millisecond a ratio of 1.5 is a few microseconds of a bigger tree, which no caller feels, yet thousands of requests make it
/// significant.
/// </param>
public sealed record LatencyCheck(double Max = 500, double MaxRatioToChampion = 1.2, double MinDifferenceMs = 1);

/// <param name="Min">The lowest share of shadowed requests on which candidate and champion agree.</param>
public sealed record AgreementCheck(double Min = 0.9);

/// <param name="Max">The highest Jensen-Shannon distance between the candidate's and the champion's output distributions.</param>
public sealed record OutputDriftCheck(double Max = 0.1);
