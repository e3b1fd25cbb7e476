using Azure.Data.Tables;

namespace Flywheel.Tests.Probes;

/// <summary>Every blob and table row an app owns, with its ETag: two equal snapshots mean nothing stored changed.</summary>
internal static class StorageSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(FlywheelApp app)
    {
        var storage = app.Storage;
        var items = new List<string>();
        await foreach (var container in storage.Blobs.GetBlobContainersAsync(prefix: app.Prefix))
        {
            await foreach (var blob in storage.Blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
            {
                // The staging area is scratch space that a rejected upload may leave empty behind; the quarantine is where rejects belong.
                if (!blob.Name.StartsWith(".staging/", StringComparison.Ordinal) && !container.Name.EndsWith("quarantine", StringComparison.Ordinal))
                {
                    items.Add($"{container.Name}/{blob.Name} {blob.Properties.ETag}");
                }
            }
        }

        await foreach (var table in storage.Tables.QueryAsync(t => t.Name.CompareTo(app.Prefix) >= 0 && t.Name.CompareTo(app.Prefix + "{") < 0))
        {
            await foreach (var row in storage.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                items.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey} {row.ETag}");
            }
        }

        items.Sort(StringComparer.Ordinal);
        return items;
    }
}
