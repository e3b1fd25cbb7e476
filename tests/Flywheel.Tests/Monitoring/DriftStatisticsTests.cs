using System.Text.Json;
using Flywheel.Statistics;

namespace Flywheel.Tests.Monitoring;

/// <summary>Flywheel's drift statistics equal scipy's (1e-9) on the cases scripts/fixtures/drift_stats.py generated: ties, equal and unequal sizes, empty and unseen categories.</summary>
public sealed class DriftStatisticsTests
{
    private const double Tolerance = 1e-9;

    private const string FixturePath = "Monitoring/Fixtures/drift.json";

    public static TheoryData<string> Cases() => PeerFixtures.Names(FixturePath);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Statistics_equal_scipys(string name)
    {
        var item = PeerFixtures.Case(FixturePath, name);
        var expected = item.GetProperty("expected").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String
            ? double.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : p.Value.GetDouble());
        var actual = new Dictionary<string, double>();
        switch (item.GetProperty("kind").GetString())
        {
            case "ks":
                (actual["statistic"], actual["pValue"]) = KolmogorovSmirnov.TwoSample(Values(item, "reference"), Values(item, "current"));
                break;
            case "wasserstein":
                actual["distance"] = Wasserstein.Distance(Values(item, "reference"), Values(item, "current"));
                actual["normed"] = Wasserstein.Normed(Values(item, "reference"), Values(item, "current"));
                break;
            case "categorical":
                (actual["chiSquare"], actual["chiSquareP"]) = ChiSquare.Test(Counts(item, "referenceCounts"), Counts(item, "currentCounts"));
                actual["jensenShannon"] = JensenShannon.Distance(Counts(item, "referenceCounts"), Counts(item, "currentCounts"));
                break;
            default:
                (actual["statistic"], actual["pValue"]) = ProportionsZ.Test(Counts(item, "referenceCounts"), Counts(item, "currentCounts"));
                break;
        }

        foreach (var (key, value) in expected)
        {
            var ok = double.IsInfinity(value) ? actual[key] == value : Math.Abs(value - actual[key]) <= Tolerance * Math.Max(1, Math.Abs(value));
            Assert.True(ok, $"{name} {key}: scipy {value:R}, Flywheel {actual[key]:R}");
        }
    }

    private static double[] Values(JsonElement item, string key) => [.. item.GetProperty(key).EnumerateArray().Select(v => v.GetDouble())];

    private static Dictionary<string, long> Counts(JsonElement item, string key) => item.GetProperty(key).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
}
