using Azure.Data.Tables;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Versions;
using Flywheel.Registry;
using Flywheel.Storage;

namespace Flywheel.Tests.Registry;

/// <summary>The typed head rows read the columns stored before they existed, and write them back alike.</summary>
public sealed class HeadRowTests
{
    private static readonly DateTimeOffset s_created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_stored_model_head_reads_and_writes_the_same_columns_keeping_other_owners_columns()
    {
        var stored = new TableEntity("flowers", VersionLedger.HeadKey)
        {
            ["Latest"] = 3,
            ["Aliases"] = """{"champion":2}""",
            ["Deployment"] = string.Empty,
            ["Archived"] = "[1]",
            ["Created"] = s_created,
            ["Updated"] = s_created,
            ["HistoryCount"] = 7L,
            ["Policy"] = "{}",
        };

        var head = ModelHead.From(stored)!;
        var written = head.ToEntity(Ledger("flowers"), stored);

        Assert.Equal(("flowers", 3, 2, null as Deployment, true), (head.Name, head.Latest, head.Aliases["champion"], head.Deployment, head.Archived.SetEquals([1])));
        Assert.Equal(stored.Keys.Order(StringComparer.Ordinal), written.Keys.Where(k => k is not ("odata.etag")).Order(StringComparer.Ordinal));
        foreach (var column in new[] { "Latest", "Aliases", "Deployment", "Archived", "Created", "Updated", "HistoryCount", "Policy" })
        {
            Assert.Equal(stored[column], written[column]);
        }
    }

    [Fact]
    public void A_first_model_head_has_no_archived_column_and_no_head_is_no_model()
    {
        var written = (ModelHead.New("flowers") with { Latest = 1, Created = s_created, Updated = s_created }).ToEntity(Ledger("flowers"), null);

        Assert.Null(ModelHead.From(null));
        Assert.False(written.ContainsKey("Archived"));
        Assert.Equal(("{}", string.Empty, 1), (written.GetString("Aliases"), written.GetString("Deployment"), written.GetInt32("Latest")));
    }

    [Fact]
    public void A_stored_dataset_head_reads_and_writes_the_same_columns()
    {
        var stored = new TableEntity("titanic", VersionLedger.HeadKey) { ["Latest"] = 4, ["Created"] = s_created, ["Updated"] = s_created.AddDays(1) };

        var head = DatasetHead.From(stored)!;
        var written = (head with { Latest = 5 }).ToEntity(Ledger("titanic"), stored);

        Assert.Equal(new Flywheel.Contracts.Datasets.DatasetSummary("titanic", 4, s_created, s_created.AddDays(1)), head.Summary());
        Assert.Equal((5, s_created, s_created.AddDays(1)), (written.GetInt32("Latest"), written.GetDateTimeOffset("Created"), written.GetDateTimeOffset("Updated")));
    }

    private static VersionLedger Ledger(string partition) => new(new TableClient("UseDevelopmentStorage=true", "heads"), partition);
}
