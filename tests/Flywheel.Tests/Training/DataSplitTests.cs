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
        Assert.Equal(0.20, rows.Test.Length / (double)labels.Length, 2);
        Assert.Equal(0.15, rows.Validation.Length / (double)labels.Length, 2);
        var overall = labels.Count(l => l == ">50K") / (double)labels.Length;
        foreach (var part in new[] { rows.Train, rows.Validation, rows.Test })
        {
            // Stratified: each part's share of the rare class is the whole file's, to within one row per class.
            Assert.InRange(part.Count(r => labels[r] == ">50K") / (double)part.Length, overall - (2.0 / part.Length), overall + (2.0 / part.Length));
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_split_file_and_another_seed_another()
    {
        var (first, a) = await SplitAsync(Request("adult", "income") with { Seed = 7 });
        var (again, b) = await SplitAsync(Request("adult", "income") with { Seed = 7 });
        var (other, c) = await SplitAsync(Request("adult", "income") with { Seed = 8 });

        Assert.Equal(first.Blob, again.Blob);
        Assert.Equal(DataSplitter.Encode(a), DataSplitter.Encode(b));
        Assert.NotEqual(first.Blob, other.Blob);
        Assert.NotEqual(a.Test, c.Test);
        Assert.Equal(DataSplitter.Encode(a), DataSplitter.Encode(DataSplitter.Assign(
            File.ReadLines(Datasets.DatasetFiles.Adult).Skip(1).Select((line, row) => (Label: line.Split(',')[^1].Trim(), Row: row))
                .GroupBy(x => x.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Select(x => x.Row).ToList()),
            new SplitSpec(), 7) with { Classes = ["<=50K", ">50K"] }));
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
