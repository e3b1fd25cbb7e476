using Flywheel.Contracts.Retraining;
using Flywheel.Serving.Signal;
using Flywheel.Statistics;

namespace Flywheel.Retraining.Canary;

/// <summary>How an interval of a canary went.</summary>
public enum CanaryOutcome
{
    /// <summary>Every check that could be judged passed.</summary>
    Passed,

    /// <summary>At least one check failed; the failures count toward the policy's failure limit.</summary>
    Failed,

    /// <summary>Too few requests to judge: the step holds and nothing counts against the candidate.</summary>
    Inconclusive,
}


public sealed record CanaryJudgement(CanaryOutcome Outcome, IReadOnlyList<CanaryCheckResult> Checks)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<CanaryCheckResult> Failures => Checks.Where(c => !c.Passed);
}

/// <summary>
/// The canary judge: the candidate against the champion over the same interval, as Kayenta judges a canary. Fewer
/// than <c>minRequests</c> candidate requests is inconclusive, never a failure (a canary with no traffic must not
/// roll back); a comparison with the champion is made only when the champion served <c>minRequests</c> too, and
/// then only a significant difference beyond the margin fails.
/// </summary>
public static class CanaryJudge
{
    /// <param name="compareLatency">False when the two latencies are not measured alike (a shadow's): only the absolute limit applies.</param>
    public static CanaryJudgement Judge(SignalCounts candidate, SignalCounts champion, CanaryChecks checks, long minRequests, bool compareLatency = true)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(champion);
        ArgumentNullException.ThrowIfNull(checks);
        if (candidate.Requests < minRequests)
        {
            return new CanaryJudgement(CanaryOutcome.Inconclusive,
                [new CanaryCheckResult("requests", false, candidate.Requests, minRequests, $"{candidate.Requests} requests reached the candidate; {minRequests} are needed to judge.")]);
        }

        var compare = champion.Requests >= minRequests;
        List<CanaryCheckResult> results = [ErrorRate(candidate, champion, checks, compare), Latency(candidate, champion, checks, compare && compareLatency)];
        if (candidate.ShadowCompared >= minRequests)
        {
            var agreement = (double)candidate.ShadowAgreed / candidate.ShadowCompared;
            results.Add(new CanaryCheckResult("agreement", agreement >= checks.Agreement.Min, agreement, checks.Agreement.Min,
                $"{candidate.ShadowAgreed} of {candidate.ShadowCompared} shadowed requests agreed with the champion."));
        }

        if (compare && candidate.Labels.Count > 0 && champion.Labels.Count > 0)
        {
            var distance = JensenShannon.Distance(champion.Labels, candidate.Labels);
            results.Add(new CanaryCheckResult("outputDrift", distance <= checks.OutputDrift.Max, distance, checks.OutputDrift.Max,
                "Jensen-Shannon distance between the candidate's and the champion's answers."));
        }

        return new CanaryJudgement(results.All(r => r.Passed) ? CanaryOutcome.Passed : CanaryOutcome.Failed, results);
    }

    private static CanaryCheckResult ErrorRate(SignalCounts candidate, SignalCounts champion, CanaryChecks checks, bool compare)
    {
        var rate = candidate.ErrorRate;
        var limit = checks.ErrorRate;
        if (rate > limit.Max)
        {
            return new CanaryCheckResult("errorRate", false, rate, limit.Max, $"{candidate.Errors} of {candidate.Requests} requests failed.");
        }

        if (!compare)
        {
            return new CanaryCheckResult("errorRate", true, rate, limit.Max, $"{candidate.Errors} of {candidate.Requests} requests failed; the champion served too few to compare.");
        }

        var (z, p) = TwoProportions.Greater(candidate.Errors, candidate.Requests, champion.Errors, champion.Requests);
        var above = rate - champion.ErrorRate;
        var failed = above > limit.MaxAboveChampion && p < checks.Significance;
        return new CanaryCheckResult("errorRate", !failed, rate, limit.Max,
            $"{candidate.Errors} of {candidate.Requests} failed against the champion's {champion.Errors} of {champion.Requests} (z = {z:0.###}, p = {p:0.####}; allowed {limit.MaxAboveChampion:0.####} above it).");
    }

    private static CanaryCheckResult Latency(SignalCounts candidate, SignalCounts champion, CanaryChecks checks, bool compare)
    {
        var p99 = candidate.LatencyP99Ms;
        var limit = checks.LatencyP99Ms;
        if (p99 > limit.Max)
        {
            return new CanaryCheckResult("latencyP99Ms", false, p99, limit.Max, $"p99 {p99:0.##} ms.");
        }

        if (!compare)
        {
            return new CanaryCheckResult("latencyP99Ms", true, p99, limit.Max, $"p99 {p99:0.##} ms; not compared with the champion's: it served too few to compare, or this is a shadow, timed apart.");
        }

        var championP99 = champion.LatencyP99Ms;
        var (_, p) = MannWhitneyU.Test(candidate.Latency, champion.Latency, MannWhitneyU.Alternative.Greater);
        var ratio = p99 / championP99;
        var failed = ratio > limit.MaxRatioToChampion && p99 - championP99 > limit.MinDifferenceMs && p < checks.Significance;
        return new CanaryCheckResult("latencyP99Ms", !failed, p99, limit.Max,
            $"p99 {p99:0.##} ms against the champion's {championP99:0.##} ms (ratio {ratio:0.##}, allowed {limit.MaxRatioToChampion:0.##} unless within {limit.MinDifferenceMs:0.##} ms; Mann-Whitney U p = {p:0.####} that the candidate is slower).");
    }
}
