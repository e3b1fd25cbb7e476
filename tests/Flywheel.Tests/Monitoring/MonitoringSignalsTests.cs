using System.Text;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring;
using Flywheel.Monitoring.Drift;
using Flywheel.Monitoring.Models;
using Flywheel.Monitoring.Performance;
using Flywheel.Monitoring.Quality;

namespace Flywheel.Tests.Monitoring;

public sealed class MonitoringSignalsTests
{
    [Fact]
    public void Estimated_auc_equals_the_expected_pairwise_ordering_of_calibrated_probabilities_and_accuracy_the_mean_chance_of_being_right()
    {
        double[] p = [0.9, 0.8, 0.8, 0.3, 0.1, 0.55];
        bool[] predicted = [.. p.Select(v => v >= 0.5)];

        var estimate = ConfidenceBasedEstimate.Estimate(p, predicted)!;

        // Independently: each pair (i positive with chance p_i, j negative with chance 1 - p_j) counts when i scores above j and
        // a half on ties, a row with itself included (NannyML's expected TPR/FPR curve holds a row's own p and 1 - p at one threshold).
        double pairs = 0, positives = p.Sum(), negatives = p.Length - p.Sum();
        for (var i = 0; i < p.Length; i++)
        {
            for (var j = 0; j < p.Length; j++)
            {
                pairs += p[i] * (1 - p[j]) * (p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0);
            }
        }

        Assert.Equal(pairs / (positives * negatives), estimate.Auc!.Value, 12);
        Assert.Equal(p.Select(v => v >= 0.5 ? v : 1 - v).Average(), estimate.Accuracy, 12);
        Assert.Null(ConfidenceBasedEstimate.Estimate([], []));
        Assert.Null(ConfidenceBasedEstimate.Estimate([1.0, 1.0], [true, true])!.Auc);
    }

    [Fact]
    public void Data_quality_counts_missing_out_of_range_type_errors_and_unseen_categories()
    {
        var reference = Sample(numerical: true, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        var current = Sample(numerical: true, "0", "5", "11", "abc", null, "7");
        var quality = DataQuality.Measure("x", reference, current);

        Assert.Equal(0, quality.ReferenceMissingRate);
        Assert.Equal(1.0 / 6, quality.CurrentMissingRate, 12);
        Assert.Equal(2.0 / 4, quality.OutOfRangeRate!.Value, 12);
        Assert.Equal(1, quality.TypeErrors);
        Assert.Null(quality.UnseenRate);
        Assert.Equal(3, quality.Issues.Count);

        var categories = DataQuality.Measure("c", Sample(numerical: false, "S", "C", "S"), Sample(numerical: false, "S", "Q", "Q", "C"));
        Assert.Equal(0.5, categories.UnseenRate!.Value, 12);
        Assert.Null(categories.OutOfRangeRate);
        Assert.Contains(categories.Issues, i => i.Contains("never had", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0 0 * * * *", "2026-12-02T10:30:15Z", "2026-12-02T10:00:00Z")]
    [InlineData("0 0 * * * *", "2026-12-02T10:00:00Z", "2026-12-02T10:00:00Z")]
    [InlineData("*/2 * * * * *", "2026-12-02T10:30:15Z", "2026-12-02T10:30:14Z")]
    [InlineData("0 0 0 1 * *", "2026-12-02T10:30:15Z", "2026-12-01T00:00:00Z")]
    [InlineData("0 0 0 1 1 *", "2026-12-02T10:30:15Z", "2026-01-01T00:00:00Z")]
    public void A_schedule_is_due_for_the_window_ending_at_its_latest_occurrence(string cron, string now, string expected)
    {
        var schedule = MonitoringSchedule.TryParse(cron)!;

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), MonitoringSchedule.Latest(schedule, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Null(MonitoringSchedule.TryParse("0 * * * *"));
        Assert.Null(MonitoringSchedule.TryParse("hourly"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    [InlineData(200_003)]
    public void The_radix_sort_orders_numbers_as_array_sort_does(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(i => (i % 7) switch
        {
            0 => -random.NextDouble() * 1e6,
            1 => Math.Round(random.NextDouble() * 10, 2),
            2 => random.NextDouble() * 1e-300,
            3 => -0.0,
            4 => 0.0,
            5 => double.MaxValue * (random.Next(2) == 0 ? 1 : -1),
            _ => random.NextDouble() - 0.5,
        }).ToArray();
        var expected = (double[])values.Clone();
        Array.Sort(expected);

        Flywheel.Datasets.Columns.NumberOrder.Sort(values);

        Assert.Equal(expected, values);
    }

    [Fact]
    public void A_text_column_with_many_values_is_compared_on_its_top_values_so_in_distribution_traffic_does_not_drift()
    {
        var random = new Random(11);
        // 300 airports, a few busy ones and a long tail; the window is a small sample of the same distribution.
        string Draw() => $"A{(int)Math.Floor(300 * Math.Pow(random.NextDouble(), 2)):D3}";
        var reference = Sample(false, [.. Enumerable.Range(0, 20_000).Select(_ => Draw())]);
        var window = Sample(false, [.. Enumerable.Range(0, 300).Select(_ => Draw())]);
        var shifted = Sample(false, [.. Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? "A299" : Draw())]);

        var every = DriftDetection.Detect("origin", reference, window, "auto", null, null);
        var top = DriftDetection.Detect("origin", reference, window, "auto", null, null, topCategories: 20);
        var moved = DriftDetection.Detect("origin", reference, shifted, "auto", null, null, topCategories: 20);

        Assert.True(every.Drifted, $"{every.Method} {every.Score}");
        Assert.False(top.Drifted, $"{top.Method} {top.Score}");
        Assert.Contains(ColumnSample.Other, top.Histogram.Labels);
        // Half the traffic from one rare airport is real drift, and the "(other)" bucket still shows it.
        Assert.True(moved.Drifted, $"{moved.Method} {moved.Score}");
    }

    [Fact]
    public void The_share_of_drifted_columns_that_makes_the_inputs_drift_is_a_setting()
    {
        var side = new DriftSide("d", 1, null, 10);
        ColumnDrift Column(string name, bool drifted) => new(name, "numerical", "ks", 0.05, drifted ? 0.01 : 0.5, drifted, 10, 10, new ColumnHistogram([], [], []));
        ColumnDrift[] columns = [Column("a", true), Column("b", false), Column("c", false), Column("d", false)];

        Assert.False(DriftReports.Summarize(side, side, columns, new Dictionary<string, string>()).DatasetDrift);
        Assert.True(DriftReports.Summarize(side, side, columns, new Dictionary<string, string>(), driftShare: 0.25).DatasetDrift);
        Assert.Throws<FlywheelException>(() => new MonitoringSettings(DriftShare: 0).Validate());
    }

    private static ColumnSample Sample(bool numerical, params string?[] cells)
    {
        var sample = new ColumnSample(numerical, cells.Length);
        foreach (var cell in cells)
        {
            sample.Add(cell is null ? [] : Encoding.UTF8.GetBytes(cell), missing: cell is null);
        }

        return sample;
    }
}
