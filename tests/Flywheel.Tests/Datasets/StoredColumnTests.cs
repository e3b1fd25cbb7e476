using System.Text;
using Flywheel.Contracts.Datasets;
using Flywheel.Datasets;
using Flywheel.Datasets.Columns;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Profiling;
using Flywheel.Monitoring.Drift;

namespace Flywheel.Tests.Datasets;

/// <summary>A version's stored columns (written at ingest) hold exactly what reading the version's cells gives, in both views.</summary>
public sealed class StoredColumnTests
{
    [Theory]
    [InlineData("adult_census_income/AdultCensusIncomeOriginal.csv")]
    [InlineData("bike_sharing_hourly/hour_train.csv")]
    [InlineData("sklearn_debian/iris.csv")]
    [InlineData("titanic_small/small_titanic.csv")]
    public async Task Stored_columns_of_the_shared_datasets_equal_the_samples_read_from_their_cells(string file)
    {
        var path = DatasetFiles.Shared(file);
        var problems = new DataProblems();
        var profiler = new DatasetProfiler(DatasetContract.None, problems, columnStoreBytes: 64L << 20);
        await using (var stream = File.OpenRead(path))
        {
            await new CsvDatasetReader(profiler, problems).ReadAsync(stream, CancellationToken.None);
        }

        var profile = profiler.Finish("csv");
        Assert.False(problems.Any);
        var stored = profiler.StoredColumns();
        var names = profile.Schema.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, stored.Count);

        var views = new Dictionary<bool, ColumnSample[]>();
        foreach (var numerical in new[] { true, false })
        {
            var read = views[numerical] = [.. names.Select(_ => new ColumnSample(numerical, profile.Rows))];
            await using var stream = File.OpenRead(path);
            await DatasetRows.ReadCsvCellsAsync(stream, names, DatasetContract.DefaultMissingMarkers.ToHashSet(StringComparer.Ordinal),
                (column, utf8, missing) => read[column].Add(utf8, missing), CancellationToken.None);
        }

        foreach (var numerical in new[] { true, false })
        {
            foreach (var (column, ordinal) in stored.Select((c, i) => (c, i)))
            {
                var decoded = StoredColumn.Decode(column.Encode());
                var expected = views[numerical][ordinal].Freeze();
                var actual = ColumnSample.From(decoded, numerical);
                var what = $"{names[ordinal]} ({(numerical ? "numbers" : "text")})";
                if (actual is null)
                {
                    // Only a view the column does not call for is left out: numbers of a column without any,
                    // text of a column of numbers only, or more text values than the limit.
                    var numbers = views[true][ordinal];
                    Assert.True(numerical ? numbers.Rows == 0 : (numbers.TypeErrors == 0 && numbers.Rows > 0) || expected.Counts.Count > ColumnCollector.TextLimit,
                        $"{what} was not stored");
                    continue;
                }

                Assert.Equal((expected.Rows, expected.Missing, expected.TypeErrors, expected.ManyValues), (actual.Rows, actual.Missing, actual.TypeErrors, actual.ManyValues));
                Assert.Equal(expected.Counts.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Counts.OrderBy(p => p.Key, StringComparer.Ordinal));
                if (numerical)
                {
                    Assert.Equal((expected.Min, expected.Max), (actual.Min, actual.Max));
                    Assert.Equal(expected.Sorted.Select(BitConverter.DoubleToInt64Bits), actual.Sorted.Select(BitConverter.DoubleToInt64Bits));
                }
            }
        }
    }

    [Fact]
    public void Numbers_collected_in_many_runs_come_back_sorted_with_every_bit_kept()
    {
        var random = new Random(11);
        var numbers = Enumerable.Range(0, 50_000).Select(i => (i % 7) switch
        {
            0 => Math.Round(random.NextDouble() * 100, 2),
            1 => -Math.Round(random.NextDouble() * 5, 4),
            2 => random.Next(-3, 3),
            3 => random.NextDouble() * 1e300,
            4 => i % 2 == 0 ? -0.0 : 0.0,
            5 => 0.1 + 0.2,
            _ => (double)(1L << 54) + (2 * random.Next(1000)),
        }).ToList();
        // A budget that keeps the numbers but not in the few-numbers table (budget / 32 distinct values): runs and merges.
        var collector = new ColumnCollector(runValues: 1_024, budgetBytes: 512 << 10);
        foreach (var number in numbers)
        {
            collector.Add(Encoding.UTF8.GetBytes(number.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), missing: false);
        }

        collector.Add("n/a"u8, missing: false);
        collector.Add([], missing: true);
        var stored = StoredColumn.Decode(collector.Finish().Encode());

        // As the cells are read ("-0" is read as 0.0).
        var expected = numbers.Select(n => ValueParser.TryFloat(Encoding.UTF8.GetBytes(n.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), out var read) ? read : double.NaN)
            .OrderBy(n => n).ThenBy(n => BitConverter.DoubleToInt64Bits(n) >= 0).Select(BitConverter.DoubleToInt64Bits);
        Assert.Equal(expected, stored.ReadNumbers()!.Expand().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal((50_001L, 1L, 1L), (stored.Values, stored.Missing, stored.TypeErrors));
        Assert.Null(stored.Text); // numbers only
    }

    [Fact]
    public void Decimal_runs_of_one_scale_and_of_several_merge_to_every_number_exactly()
    {
        // Runs of 1,024: the first half of the values have 2 decimals (5,000 distinct, so runs share
        // values), then 3, then none: runs of one scale merge on their stored keys, of two by value.
        var random = new Random(5);
        var cells = Enumerable.Range(0, 20_000).Select(i => i < 10_000
            ? $"{random.Next(-2_500, 2_500) / 100.0:F2}"
            : i < 18_000 ? $"{random.Next(-5_000, 5_000) / 1_000.0:F3}" : $"{random.Next(-50, 50)}").ToList();
        // Past 4,096 distinct values (budget / 32) the numbers go to runs.
        var collector = new ColumnCollector(runValues: 1_024, budgetBytes: 128 << 10);
        foreach (var cell in cells)
        {
            collector.Add(Encoding.UTF8.GetBytes(cell), missing: false);
        }

        var stored = StoredColumn.Decode(collector.Finish().Encode());

        var expected = cells.Select(c => ValueParser.TryFloat(Encoding.UTF8.GetBytes(c), out var read) ? read : double.NaN)
            .OrderBy(n => n).ThenBy(n => BitConverter.DoubleToInt64Bits(n) >= 0).Select(BitConverter.DoubleToInt64Bits);
        Assert.Equal(expected, stored.ReadNumbers()!.Expand().Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Plain_decimals_are_stored_in_a_byte_or_two_per_distinct_value()
    {
        var collector = new ColumnCollector(runValues: 65_536, budgetBytes: long.MaxValue);
        var random = new Random(3);
        for (var i = 0; i < 100_000; i++)
        {
            // As pandas writes numbers rounded to 4 decimals: "15.0372".
            var tenThousandths = 200_000 + random.Next(-50_000, 50_000);
            collector.Add(Encoding.UTF8.GetBytes($"{tenThousandths / 10_000}.{tenThousandths % 10_000:D4}"), missing: false);
        }

        var column = collector.Finish();
        var distinct = column.ReadNumbers()!.Length;
        Assert.InRange(column.Encode().Length, distinct, 3 * distinct);
    }

    [Fact]
    public void A_column_whose_numbers_outgrow_their_budget_keeps_its_text_counts_and_drops_its_numbers()
    {
        var collector = new ColumnCollector(runValues: 1_024, budgetBytes: 4_096);
        for (var i = 0; i < 10_000; i++)
        {
            collector.Add(Encoding.UTF8.GetBytes((i % 3 == 0 ? i * Math.PI : i % 5).ToString("R", System.Globalization.CultureInfo.InvariantCulture)), missing: false);
        }

        var column = StoredColumn.Decode(collector.Finish().Encode());
        Assert.Null(column.Numbers);
        Assert.False(StoredColumn.Has(column.Encode(), numbers: true));
        Assert.Equal(10_000, column.Values);
    }

    [Fact]
    public void A_corrupt_stored_column_is_invalid_data_not_a_crash()
    {
        var bytes = new ColumnCollector(1_024, long.MaxValue).Finish().Encode();
        Assert.Throws<InvalidDataException>(() => StoredColumn.Decode(bytes[..^1]));
        Assert.Throws<InvalidDataException>(() => StoredColumn.Decode("nope"u8));
    }

    [Fact]
    public void A_column_with_few_numbers_is_counted_without_runs_and_a_text_column_keeps_no_numbers()
    {
        var few = new ColumnCollector(runValues: 1_024, budgetBytes: long.MaxValue);
        var text = new ColumnCollector(runValues: 1_024, budgetBytes: long.MaxValue);
        for (var i = 0; i < 100_000; i++)
        {
            few.Add(Encoding.UTF8.GetBytes((i % 90).ToString(System.Globalization.CultureInfo.InvariantCulture)), missing: i % 1_000 == 0);
            text.Add(Encoding.UTF8.GetBytes(i % 7 == 0 ? "Lisbon" : "Osaka"), missing: false);
        }

        var numbers = StoredColumn.Decode(few.Finish().Encode());
        Assert.Equal(Enumerable.Range(0, 90).Select(n => (double)n), numbers.ReadNumbers()!.Values);
        Assert.Equal((99_900L, 100L, 0L), (numbers.Values, numbers.Missing, numbers.TypeErrors));
        var cities = StoredColumn.Decode(text.Finish().Encode());
        Assert.Null(cities.Numbers);
        Assert.Equal(new Dictionary<string, long> { ["Lisbon"] = 14_286, ["Osaka"] = 85_714 }, cities.Text);
    }
}
