using Azure.Data.Tables;
using Flywheel.Contracts.Datasets;
using Flywheel.Storage;

namespace Flywheel.Datasets.Versions;

/// <summary>
/// A dataset's head row in the <c>datasets</c> table, the one place it is read and written: the newest version
/// number, when the dataset was created and when it was last versioned. A new version rewrites it under its ETag.
/// </summary>
internal sealed record DatasetHead(string Name, int Latest, DateTimeOffset? Created, DateTimeOffset? Updated)
{
    private const string LatestColumn = "Latest";
    private const string CreatedColumn = "Created";
    private const string UpdatedColumn = "Updated";

    /// <summary>The head of a dataset with no version yet: what its first version starts from.</summary>
    public static DatasetHead New(string name) => new(name, 0, null, null);

    /// <summary>The head <paramref name="row"/> holds; null when there is no row (no versions).</summary>
    public static DatasetHead? From(TableEntity? row) => row is null ? null : new(
        row.PartitionKey, row.GetInt32(LatestColumn) ?? 0, row.GetDateTimeOffset(CreatedColumn), row.GetDateTimeOffset(UpdatedColumn));

    /// <summary>The row to commit: a copy of <paramref name="read"/> (or a new head) with this head's columns.</summary>
    public TableEntity ToEntity(VersionLedger ledger, TableEntity? read)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var next = ledger.NextHead(read);
        next[LatestColumn] = Latest;
        if (Created is { } created)
        {
            next[CreatedColumn] = created;
        }

        if (Updated is { } updated)
        {
            next[UpdatedColumn] = updated;
        }

        return next;
    }

    public DatasetSummary Summary() => new(Name, Latest, Created ?? default, Updated ?? default);
}
