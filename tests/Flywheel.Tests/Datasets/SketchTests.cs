using Flywheel.Datasets.Profiling;
using Flywheel.Statistics;

namespace Flywheel.Tests.Datasets;

public sealed class SketchTests
{
    [Fact]
    public void HyperLogLog_estimates_a_million_distinct_values_within_five_percent()
    {
        var hll = new HyperLogLog();
        for (var i = 0; i < 1_000_000; i++)
        {
            hll.Add(System.IO.Hashing.XxHash3.HashToUInt64(BitConverter.GetBytes(i)));
        }

        Assert.InRange(hll.Estimate(), 950_000, 1_050_000);
    }

    [Fact]
    public void Quantile_sketch_answers_within_its_relative_accuracy_and_merges_exactly()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 100_000).Select(_ => (random.NextDouble() * 1000) - 200).ToArray();
        var left = new QuantileSketch();
        var right = new QuantileSketch();
        for (var i = 0; i < values.Length; i++)
        {
            (i % 2 == 0 ? left : right).Add(values[i]);
        }

        left.Merge(right);
        var sorted = values.Order().ToArray();

        Assert.Equal(values.Length, left.Count);
        foreach (var q in new[] { 0.01, 0.25, 0.5, 0.75, 0.99 })
        {
            var exact = sorted[(int)(q * (sorted.Length - 1))];
            Assert.InRange(left.Quantile(q), exact - (Math.Abs(exact) * 0.02) - 0.5, exact + (Math.Abs(exact) * 0.02) + 0.5);
        }
    }

    [Fact]
    public void Quantile_sketch_survives_a_round_trip_through_its_stored_form()
    {
        var sketch = new QuantileSketch();
        foreach (var v in new[] { -5.0, 0, 0, 1, 2, 3, 1000 })
        {
            sketch.Add(v);
        }

        var copy = QuantileSketch.FromData(sketch.ToData());

        Assert.Equal(sketch.Count, copy.Count);
        Assert.Equal(sketch.Quantile(0.5), copy.Quantile(0.5));
        Assert.Equal([3L, 3L, 1L], copy.Histogram([-10, 0.5, 10, 2000]));
    }

    [Fact]
    public void Psi_is_zero_for_identical_distributions_and_large_for_disjoint_ones()
    {
        Assert.Equal(0, Psi.Compute([10, 20, 30], [1, 2, 3])!.Value, 9);
        Assert.True(Psi.Compute([100, 0], [0, 100]) > 1);
        Assert.Null(Psi.Compute([0, 0], [1, 1]));
    }
}
