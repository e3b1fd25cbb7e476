using System.Text;
using Flywheel.Datasets.Columns;
using Flywheel.Datasets.Contracts;
using Flywheel.Datasets.Ingest;
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

        foreach (var numerical in new[] { true, false })
        {
            var read = names.Select(_ => new ColumnSample(numerical, profile.Rows)).ToArray();
            await using (var stream = File.OpenRead(path))
            {
                await DatasetRows.ReadCsvCellsAsync(stream, names, DatasetContract.DefaultMissingMarkers.ToHashSet(StringComparer.Ordinal),
                    (column, utf8, missing) => read[column].Add(utf8, missing), CancellationToken.None);
            }

            foreach (var (column, ordinal) in stored.Select((c, i) => (c, i)))
            {
                var decoded = StoredColumn.Decode(column.Encode());
                var expected = read[ordinal].Freeze();
                var actual = ColumnSample.From(decoded, numerical);
                var what = $"{names[ordinal]} ({(numerical ? "numbers" : "text")})";
                if (actual is null)
                {
                    // Only a view too large to keep is left out: text values past the limit (numbers here are few).
                    Assert.False(numerical, $"{what} was not stored");
                    Assert.True(expected.Counts.Count > ColumnCollector.TextLimit, $"{what} was not stored with {expected.Counts.Count} values");
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
        var collector = new ColumnCollector(runValues: 1_024, budgetBytes: long.MaxValue);
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
        Assert.Null(stored.Text); // more than TextLimit distinct values
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
}
