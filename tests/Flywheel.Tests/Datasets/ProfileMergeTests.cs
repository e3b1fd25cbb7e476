using System.IO.Hashing;
using System.Text;
using Flywheel.Contracts.Datasets;
using Flywheel.Datasets;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Tests.Datasets;

/// <summary>Each sketch's merge against one sketch of all the values (the bounds rows split across workers rely on).</summary>
public sealed class ProfileMergeTests
{
    [Fact]
    public void Merged_hyperloglog_registers_equal_one_sketch_of_every_value()
    {
        var (left, right, all) = (new HyperLogLog(), new HyperLogLog(), new HyperLogLog());
        for (var i = 0; i < 200_000; i++)
        {
            var hash = XxHash3.HashToUInt64(BitConverter.GetBytes(i % 150_000));
            (i % 3 == 0 ? left : right).Add(hash);
            all.Add(hash);
        }

        left.Merge(right);

        Assert.Equal(all.ToBase64(), left.ToBase64());
    }

    [Fact]
    public void Merged_quantile_sketch_buckets_equal_one_sketch_of_every_value()
    {
        var random = new Random(11);
        var (left, right, all) = (new QuantileSketch(), new QuantileSketch(), new QuantileSketch());
        for (var i = 0; i < 100_000; i++)
        {
            // Both signs, zeros, and magnitudes over twelve orders: buckets grow on both sides.
            var value = i % 17 == 0 ? 0 : (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-6, 7));
            (i < 40_000 ? left : right).Add(value);
            all.Add(value);
        }

        left.Merge(right);
        var (merged, single) = (left.ToData(), all.ToData());

        Assert.Equal(single.Zero, merged.Zero);
        Assert.Equal(single.Positive.Offset, merged.Positive.Offset);
        Assert.Equal(single.Positive.Counts, merged.Positive.Counts);
        Assert.Equal(single.Negative.Offset, merged.Negative.Offset);
        Assert.Equal(single.Negative.Counts, merged.Negative.Counts);
    }

    [Fact]
    public void Merged_top_values_are_exact_while_both_sides_together_fit_the_capacity()
    {
        var (left, right, all) = (new TopValues(), new TopValues(), new TopValues());
        for (var i = 0; i < 50_000; i++)
        {
            var value = Encoding.UTF8.GetBytes($"v{(i * 7) % TopValues.Capacity}");
            (i % 2 == 0 ? left : right).Add(XxHash3.HashToUInt64(value), value);
            all.Add(XxHash3.HashToUInt64(value), value);
        }

        left.Merge(right);

        Assert.True(left.Exact);
        Assert.Equal(0, left.Undercount);
        Assert.Equal(all.All(), left.All());
    }

    [Fact]
    public void Merged_top_values_past_the_capacity_undercount_by_at_most_their_bound()
    {
        // Each side holds 700 distinct values, 400 of them shared: 1,000 heavy values plus a few rare
        // ones overflow the merged capacity, so the merge cuts its counts.
        var truth = new Dictionary<string, long>(StringComparer.Ordinal);
        var (left, right) = (new TopValues(), new TopValues());
        void Add(TopValues side, string text, int times)
        {
            var value = Encoding.UTF8.GetBytes(text);
            for (var i = 0; i < times; i++)
            {
                side.Add(XxHash3.HashToUInt64(value), value);
            }

            truth[text] = truth.GetValueOrDefault(text) + times;
        }

        for (var v = 0; v < 700; v++)
        {
            Add(left, $"v{v}", 50 + v);
            Add(right, $"v{v + 300}", 50 + v);
        }

        for (var v = 0; v < 30; v++)
        {
            Add(v % 2 == 0 ? left : right, $"rare{v}", 1);
        }

        left.Merge(right);

        Assert.False(left.Exact);
        Assert.False(left.Abandoned);
        Assert.InRange(left.Undercount, 1, TopValues.MaxUndercount);
        foreach (var (text, count) in left.All())
        {
            Assert.InRange(count, truth[text] - left.Undercount, truth[text]);
        }

        // A value left out occurred at most the bound's number of times.
        Assert.All(truth.Where(t => !left.All().ContainsKey(t.Key)), t => Assert.True(t.Value <= left.Undercount, t.Key));
    }

    [Fact]
    public void Merged_top_values_are_abandoned_when_the_cut_passes_the_bound()
    {
        var (left, right) = (new TopValues(), new TopValues());
        for (var v = 0; v < TopValues.Capacity; v++)
        {
            var (a, b) = (Encoding.UTF8.GetBytes($"a{v}"), Encoding.UTF8.GetBytes($"b{v}"));
            for (var i = 0; i < 100; i++)
            {
                left.Add(XxHash3.HashToUInt64(a), a);
                right.Add(XxHash3.HashToUInt64(b), b);
            }
        }

        left.Merge(right);

        Assert.True(left.Abandoned);
        Assert.Empty(left.All());
    }

    [Fact]
    public void Merged_column_profile_keeps_counts_extremes_and_type_exact_and_moments_within_1e_12()
    {
        // An offset 300 times the spread: a naive sum-of-squares merge would lose about six digits here.
        var random = new Random(3);
        var values = Enumerable.Range(0, 30_000).Select(i => i % 101 == 0 ? "" : (1000 + (random.NextDouble() * 10)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var single = Profile(values, parts: 1);
        var merged = Profile(values, parts: 4);

        Assert.Equal(ColumnType.Float, merged.Type);
        Assert.Equal(29_702, merged.Count);
        ParallelProfileTests.AssertColumnWithinBounds(single, merged);
    }

    [Fact]
    public void Merged_column_profile_of_an_integer_part_and_a_decimal_part_is_float()
    {
        string[] values = ["1", "2", "3", "4.5", "5"];
        var single = Profile(values, parts: 1);
        var merged = Profile(values, parts: 2);

        Assert.Equal(ColumnType.Float, merged.Type);
        Assert.Equal(single.Mean, merged.Mean);
        Assert.Equal(single.Histogram!.Counts, merged.Histogram!.Counts);
    }

    [Fact]
    public void Merged_column_profile_of_an_integer_part_and_a_text_part_is_text()
    {
        var single = Profile(["1", "2", "3", "x", "y"], parts: 1);
        var merged = Profile(["1", "2", "3", "x", "y"], parts: 2);

        Assert.Equal(ColumnType.String, single.Type);
        Assert.Equal(single.Type, merged.Type);
        Assert.Null(merged.Mean);
        Assert.Equal(single.Top, merged.Top);
    }

    [Fact]
    public void Problem_examples_are_the_lowest_lines_whatever_order_they_arrive_in()
    {
        var problems = new DataProblems();
        foreach (var line in new long[] { 40, 41, 42, 43, 44, 45, 2, 3, 30, 1, 46 })
        {
            problems.Add("type-mismatch", "Must be an integer.", "age", line, line - 1, "x");
        }

        var problem = Assert.Single(problems.ToList());

        Assert.Equal(11, problem.Count);
        Assert.Equal([1L, 2L, 3L, 30L, 40L], problem.Examples.Select(e => e.Line!.Value));
    }

    // One column's values dealt in contiguous runs to the given number of parts, then merged.
    private static ColumnProfile Profile(string[] values, int parts)
    {
        var profiler = new DatasetProfiler(DatasetContract.None, new DataProblems());
        profiler.SetHeader(["x"], 1);
        var split = Enumerable.Range(0, parts).Select(_ => profiler.NewPart()).ToArray();
        var run = (values.Length + parts - 1) / parts;
        for (var i = 0; i < values.Length; i++)
        {
            profiler.BeginRow();
            split[i / run].Observe(0, Encoding.UTF8.GetBytes(values[i]), i + 2, i + 1);
        }

        return profiler.Finish("csv").Columns["x"];
    }
}
