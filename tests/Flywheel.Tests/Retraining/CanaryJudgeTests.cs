using Flywheel.Contracts.Retraining;
using Flywheel.Retraining.Canary;
using Flywheel.Serving.Signal;

namespace Flywheel.Tests.Retraining;

public sealed class CanaryJudgeTests
{
    private static readonly CanaryChecks s_checks = new();

    [Fact]
    public void Too_few_candidate_requests_are_inconclusive_never_a_failure()
    {
        var judgement = CanaryJudge.Judge(Signal(requests: 10, errors: 10, latencyMs: 2000), Signal(requests: 5000, errors: 0, latencyMs: 5), s_checks, minRequests: 50);

        Assert.Equal(CanaryOutcome.Inconclusive, judgement.Outcome);
        Assert.Contains("10 requests", judgement.Checks.Single().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_like_the_champion_passes_every_check()
    {
        var judgement = CanaryJudge.Judge(Signal(200, 1, 5, labels: ("a", 120), labels2: ("b", 80), shadow: (200, 195)),
            Signal(2000, 9, 5, labels: ("a", 1210), labels2: ("b", 790)), s_checks, 50);

        Assert.Equal(CanaryOutcome.Passed, judgement.Outcome);
        Assert.Equal(["errorRate", "latencyP99Ms", "agreement", "outputDrift"], judgement.Checks.Select(c => c.Check));
    }

    [Fact]
    public void A_candidate_failing_on_some_inputs_fails_the_error_rate_check_naming_the_counts()
    {
        var judgement = CanaryJudge.Judge(Signal(300, 30, 5), Signal(3000, 3, 5), s_checks, 50);

        Assert.Equal(CanaryOutcome.Failed, judgement.Outcome);
        var failure = Assert.Single(judgement.Failures);
        Assert.Equal("errorRate", failure.Check);
        Assert.Contains("30 of 300", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_significantly_slower_candidate_fails_the_latency_check_even_under_the_absolute_limit()
    {
        var judgement = CanaryJudge.Judge(Signal(500, 0, 12), Signal(5000, 0, 5), s_checks, 50);

        Assert.Equal(CanaryOutcome.Failed, judgement.Outcome);
        Assert.Equal("latencyP99Ms", Assert.Single(judgement.Failures).Check);
    }

    [Fact]
    public void A_shadow_is_not_compared_with_the_champions_latency_only_with_the_absolute_limit()
    {
        // Shadow scoring is timed off the request path, parsing included: 8x the champion's p99 says nothing about the candidate.
        var shadow = CanaryJudge.Judge(Signal(200, 0, 40), Signal(200, 0, 5), s_checks, 50, compareLatency: false);
        var live = CanaryJudge.Judge(Signal(200, 0, 40), Signal(200, 0, 5), s_checks, 50);

        Assert.Equal(CanaryOutcome.Passed, shadow.Outcome);
        Assert.Equal(CanaryOutcome.Failed, live.Outcome);
        Assert.Equal(["latencyP99Ms"], live.Failures.Select(f => f.Check));
    }

    [Fact]
    public void A_candidate_slower_by_a_fraction_of_a_millisecond_passes_however_significant()
    {
        // 0.6 ms against 0.4 ms: a ratio of 1.5 over thousands of requests, and a difference nobody feels.
        var judgement = CanaryJudge.Judge(Signal(5000, 0, 0.6), Signal(5000, 0, 0.4), s_checks, 50);
        var strict = CanaryJudge.Judge(Signal(5000, 0, 0.6), Signal(5000, 0, 0.4), s_checks with { LatencyP99Ms = new LatencyCheck(MinDifferenceMs: 0) }, 50);

        Assert.Equal(CanaryOutcome.Passed, judgement.Outcome);
        Assert.Equal(CanaryOutcome.Failed, strict.Outcome);
    }

    [Fact]
    public void A_champion_with_too_little_traffic_leaves_only_the_absolute_limits()
    {
        var judgement = CanaryJudge.Judge(Signal(100, 0, 12), Signal(3, 0, 5), s_checks, 50);

        Assert.Equal(CanaryOutcome.Passed, judgement.Outcome);
        Assert.All(judgement.Checks, c => Assert.Contains("too few to compare", c.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public void Shadow_disagreement_fails_the_agreement_check()
    {
        var judgement = CanaryJudge.Judge(Signal(100, 0, 5, shadow: (100, 70)), Signal(1000, 0, 5), s_checks, 50);

        Assert.Equal("agreement", Assert.Single(judgement.Failures).Check);
    }

    private static SignalCounts Signal(long requests, long errors, double latencyMs, (string, long)? labels = null, (string, long)? labels2 = null, (long Compared, long Agreed)? shadow = null)
    {
        var latency = new long[LatencyHistogram.BucketCount];
        latency[LatencyHistogram.Bucket(latencyMs)] = requests;
        var counts = new Dictionary<string, long>();
        foreach (var (label, count) in new[] { labels, labels2 }.OfType<(string, long)>())
        {
            counts[label] = count;
        }

        return new SignalCounts(requests, errors, latency, shadow?.Compared ?? 0, shadow?.Agreed ?? 0) { Labels = counts };
    }
}
