using System.Net;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Training;
using Flywheel.Storage;
using Flywheel.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Training;

public sealed class DataSplitTests(TrainingDatasets data) : IClassFixture<TrainingDatasets>
{
    private static TrainingRequest Request(string dataset, string label) => new() { Model = "m1-model", Dataset = dataset, Label = label };

    private async Task<(DataSplit Split, SplitRows Rows)> SplitAsync(TrainingRequest request)
    {
        var plan = await data.Planner.PlanAsync(request, CancellationToken.None);
        var split = await data.Services.GetRequiredService<DataSplitter>().SplitAsync(plan, CancellationToken.None);
        var container = await data.Services.GetRequiredService<StorageClients>().ContainerAsync(StorageNames.DatasetsContainer, CancellationToken.None);
        return (split, await DataSplitter.ReadAsync(container.GetBlobClient(split.Blob), CancellationToken.None));
    }

    [Fact]
    public async Task A_classification_split_keeps_each_class_share_in_every_part_and_covers_every_labelled_row_once()
    {
        var (split, rows) = await SplitAsync(Request("adult", "income"));
        var labels = File.ReadLines(Datasets.DatasetFiles.Adult).Skip(1).Select(line => line.Split(',')[^1].Trim()).ToArray();

        Assert.Equal(["<=50K", ">50K"], split.Classes);
        Assert.Equal(["<=50K", ">50K"], rows.Classes);
        var everything = rows.Train.Concat(rows.Validation).Concat(rows.Test).ToList();
        Assert.Equal(labels.Length, everything.Count);
        Assert.Equal(Enumerable.Range(0, labels.Length), everything.Order());
        Assert.InRange(rows.Test.Length / (double)labels.Length, 0.19, 0.21);
        Assert.InRange(rows.Validation.Length / (double)labels.Length, 0.14, 0.16);
        var overall = labels.Count(l => l == ">50K") / (double)labels.Length;
        foreach (var part in new[] { rows.Train, rows.Validation, rows.Test })
        {
            // Stratified in expectation: each class's rows are placed independently, so each part's share of the rare class is the file's to within sampling noise.
            Assert.InRange(part.Count(r => labels[r] == ">50K") / (double)part.Length, overall - 0.015, overall + 0.015);
        }
    }

    [Fact]
    public async Task A_rows_part_depends_on_its_values_and_the_salt_not_on_the_seed()
    {
        var (first, a) = await SplitAsync(Request("adult", "income") with { Seed = 7 });
        var (again, b) = await SplitAsync(Request("adult", "income") with { Seed = 8 });
        var (other, c) = await SplitAsync(Request("adult", "income") with { Split = new SplitSpec(Salt: "another") });

        Assert.Equal(first.Blob, again.Blob);
        Assert.Equal(DataSplitter.Encode(a), DataSplitter.Encode(b));
        Assert.NotEqual(first.Blob, other.Blob);
        Assert.NotEqual(a.Test, c.Test);
    }

    [Fact]
    public async Task A_row_keeps_its_part_in_a_newer_version_with_rows_added_removed_and_reordered()
    {
        var lines = File.ReadLines(Datasets.DatasetFiles.Adult).ToList();
        var (header, body) = (lines[0], lines.Skip(1).ToList());
        var dataset = $"keep-{Guid.NewGuid():N}"[..20];
        var older = body.Take(20_000).ToList();
        var newer = body.Skip(5_000).Reverse().ToList();
        using var client = data.CreateClient();
        foreach (var version in new[] { older, newer })
        {
            var csv = string.Join('\n', version.Prepend(header)) + "\n";
            Assert.Equal(HttpStatusCode.Created, (await Datasets.DatasetApiTests.PutAsync(client, dataset, System.Text.Encoding.UTF8.GetBytes(csv), "adult.csv")).Status);
        }

        var (_, first) = await SplitAsync(Request(dataset, "income") with { DatasetVersion = VersionReference.Of(1) });
        var (_, second) = await SplitAsync(Request(dataset, "income") with { DatasetVersion = VersionReference.Of(2), Seed = 99 });

        var before = Parts(first, older);
        var after = Parts(second, newer);
        var shared = before.Keys.Intersect(after.Keys).ToList();
        Assert.Equal(15_000, shared.Count, tolerance: 50);
        // Every row in both versions is in the same part of both splits (exact duplicates included: they share a key).
        Assert.All(shared, line => Assert.Equal(before[line], after[line]));
    }

    [Fact]
    public async Task An_ordered_split_tests_on_the_newest_rows_and_validates_on_those_before_them()
    {
        var (_, rows) = await SplitAsync(Request("bikes", "cnt") with { Features = ["season", "hr", "temp"], Split = new SplitSpec(OrderBy: "dteday") });
        var days = File.ReadLines(Datasets.DatasetFiles.Shared("bike_sharing_hourly/hour_train.csv")).Skip(1)
            .Select(line => DateTime.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        Assert.True(rows.Train.Max(r => days[r]) <= rows.Validation.Min(r => days[r]));
        Assert.True(rows.Validation.Max(r => days[r]) <= rows.Test.Min(r => days[r]));
        Assert.InRange(rows.Test.Length / (double)days.Length, 0.199, 0.201);
    }

    [Fact]
    public async Task A_split_ordered_by_a_column_that_is_not_there_is_a_422_naming_it()
    {
        var error = await Assert.ThrowsAsync<FlywheelException>(() => data.Planner.PlanAsync(
            Request("adult", "income") with { Split = new SplitSpec(OrderBy: "when") }, CancellationToken.None));

        Assert.Equal(ErrorKind.Unprocessable, error.Kind);
        Assert.Contains("split.orderBy 'when'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each data line of a version and the part its row is in (2 test, 1 validation, 0 train).</summary>
    private static Dictionary<string, int> Parts(SplitRows rows, List<string> lines)
    {
        var parts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (part, which) in new[] { (rows.Train, 0), (rows.Validation, 1), (rows.Test, 2) })
        {
            foreach (var row in part)
            {
                parts[lines[row]] = which;
            }
        }

        return parts;
    }

    [Fact]
    public async Task A_regression_split_leaves_out_rows_without_a_label()
    {
        var (split, rows) = await SplitAsync(Request("titanic", "age") with { Features = ["pclass", "sex", "fare"] });
        var ages = File.ReadLines(Datasets.DatasetFiles.Titanic).Skip(1).Count();

        Assert.Null(split.Classes);
        var everything = rows.Train.Concat(rows.Validation).Concat(rows.Test).ToList();
        Assert.Equal(everything.Count, everything.Distinct().Count());
        Assert.True(everything.Count < ages, "titanic has passengers without an age");
        Assert.Equal(split.Train + split.Validation + split.Test, everything.Count);
        Assert.All(new[] { rows.Train, rows.Validation, rows.Test }, part => Assert.NotEmpty(part));
    }
}
