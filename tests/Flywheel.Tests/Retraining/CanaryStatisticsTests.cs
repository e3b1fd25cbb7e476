using System.Text.Json;
using Flywheel.Serving.Signal;
using Flywheel.Statistics;

namespace Flywheel.Tests.Retraining;

/// <summary>The canary judge's statistics against scipy's on the same histograms (scripts/fixtures/canary_stats.py).</summary>
public sealed class CanaryStatisticsTests
{
    private const string FixturePath = "Retraining/Fixtures/canary.json";
    private const double Tolerance = 1e-9;

    public static TheoryData<string> Cases() => PeerFixtures.Names(FixturePath);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_statistic_equals_scipys_on_the_same_histograms(string name)
    {
        var fixture = PeerFixtures.Case(FixturePath, name);
        var expected = fixture.GetProperty("expected");
        switch (fixture.GetProperty("kind").GetString())
        {
            case "mannwhitneyu":
                var first = Counts(fixture.GetProperty("first"));
                var second = Counts(fixture.GetProperty("second"));
                foreach (var (alternative, key) in new[] { (MannWhitneyU.Alternative.TwoSided, "two-sided"), (MannWhitneyU.Alternative.Greater, "greater"), (MannWhitneyU.Alternative.Less, "less") })
                {
                    var (u, p) = MannWhitneyU.Test(first, second, alternative);
                    Assert.Equal(expected.GetProperty(key).GetProperty("u").GetDouble(), u, Tolerance);
                    Assert.Equal(expected.GetProperty(key).GetProperty("pValue").GetDouble(), p, 1e-7);
                }

                break;
            case "proportions":
                var (z, pz) = TwoProportions.Greater(fixture.GetProperty("events1").GetInt64(), fixture.GetProperty("trials1").GetInt64(),
                    fixture.GetProperty("events2").GetInt64(), fixture.GetProperty("trials2").GetInt64());
                Assert.Equal(expected.GetProperty("statistic").GetDouble(), z, Tolerance);
                Assert.Equal(expected.GetProperty("pValue").GetDouble(), pz, 1e-7);
                break;
            case "quantile":
                var exact = expected.GetProperty("exact").GetDouble();
                var bounded = LatencyHistogram.Quantile(Counts(fixture.GetProperty("counts")), fixture.GetProperty("q").GetDouble());
                // The bucket's upper bound: never below the true quantile, at most one bucket (2^(1/8)) above it.
                Assert.InRange(bounded, exact, exact * Math.Pow(2, 1.0 / 8) * (1 + 1e-12));
                break;
            default:
                throw new InvalidOperationException($"Unknown fixture kind in {name}.");
        }
    }

    [Fact]
    public void A_latency_on_a_bucket_bound_falls_in_that_bucket_and_the_last_bucket_takes_everything_slower()
    {
        Assert.Equal(0, LatencyHistogram.Bucket(0.01));
        Assert.Equal(8, LatencyHistogram.Bucket(0.1));
        Assert.Equal(9, LatencyHistogram.Bucket(0.1001));
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.Bucket(1e9));
    }

    [Fact]
    public void Empty_samples_give_no_p_value_rather_than_a_verdict()
    {
        var empty = new long[LatencyHistogram.BucketCount];
        var some = new long[LatencyHistogram.BucketCount];
        some[10] = 5;

        Assert.True(double.IsNaN(MannWhitneyU.Test(empty, some).PValue));
        Assert.True(double.IsNaN(TwoProportions.Greater(0, 0, 1, 10).PValue));
        Assert.Equal((0.0, 1.0), TwoProportions.Greater(0, 10, 0, 10));
    }

    private static long[] Counts(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];
}
