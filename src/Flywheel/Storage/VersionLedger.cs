using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Flywheel.Storage;

/// <summary>What one optimistic attempt wants to write: the new head row and the rows beside it.</summary>
/// <param name="Result">What the caller gets back when the attempt commits (or when it is abandoned).</param>
/// <param name="Head">The head row to write under the ETag read; null abandons the attempt and returns <paramref name="Result"/>.</param>
public sealed record LedgerChange<T>(T Result, TableEntity? Head, IReadOnlyList<TableTransactionAction> Rows);

/// <summary>
/// One table partition per versioned thing (a dataset, a model): a <c>head</c> row (latest
/// version, and whatever must change atomically with it), one row per version, one row per content
/// hash, one row per history entry. Every change is one entity-group transaction that rewrites the
/// head under the ETag it read, so concurrent writers serialize without locks: a loser re-reads the
/// head and tries again. That makes version numbers gapless and history complete.
/// </summary>
public sealed class VersionLedger(TableClient table, string partition)
{
    public const string HeadKey = "head";
    private const int MaxAttempts = 200;

    public string Partition => partition;

    public static string VersionKey(int version) => "v" + version.ToString("D10", CultureInfo.InvariantCulture);

    public static string HashKey(string sha256) => "sha-" + sha256;

    public static string HistoryKey(long sequence) => "h" + sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>Just past every history key (":" sorts after "9"; the head row "head" sorts outside).</summary>
    public const string HistoryKeyEnd = "h:";

    public async Task<TableEntity?> GetAsync(string rowKey, CancellationToken cancellationToken)
    {
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? entity.Value : null;
    }

    public async Task<int?> VersionOfHashAsync(string sha256, CancellationToken cancellationToken) =>
        (await GetAsync(HashKey(sha256), cancellationToken).ConfigureAwait(false))?.GetInt32("Version");

    /// <summary>
    /// Reads the head, asks <paramref name="change"/> what to write, and commits it with the head
    /// under its ETag; on a conflict (another writer won, or a row already exists) it starts over.
    /// </summary>
    public async Task<T> UpdateAsync<T>(Func<TableEntity?, Task<LedgerChange<T>>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var head = await GetAsync(HeadKey, cancellationToken).ConfigureAwait(false);
            var next = await change(head).ConfigureAwait(false);
            if (next.Head is null)
            {
                return next.Result;
            }

            next.Head.PartitionKey = partition;
            next.Head.RowKey = HeadKey;
            List<TableTransactionAction> actions =
            [
                head is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, next.Head)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, next.Head, head.ETag),
                .. next.Rows,
            ];
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return next.Result;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                // Back off a little, more after each lost race, so many writers do not collide in lockstep. The
                // jitter only spreads retries and decides nothing a caller sees, so it is not an injected source.
                await Task.Delay(Random.Shared.Next(2, 10 + Math.Min(attempt * 5, 100)), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"'{partition}' stayed contended for {MaxAttempts} attempts.");
    }

    /// <summary>A copy of <paramref name="head"/> (or a new head) to modify and return as the next head.</summary>
    public TableEntity NextHead(TableEntity? head) => head is null ? new TableEntity(partition, HeadKey) : new TableEntity(head);

    /// <summary>Adds a history row numbered after the head's last one, and counts it on <paramref name="nextHead"/>.</summary>
    public TableTransactionAction AppendHistory(TableEntity? head, TableEntity nextHead, TableEntity entry)
    {
        ArgumentNullException.ThrowIfNull(nextHead);
        ArgumentNullException.ThrowIfNull(entry);
        var sequence = (head?.GetInt64("HistoryCount") ?? 0) + 1;
        nextHead["HistoryCount"] = sequence;
        entry.PartitionKey = partition;
        entry.RowKey = HistoryKey(sequence);
        entry["Sequence"] = sequence;
        return new TableTransactionAction(TableTransactionActionType.Add, entry);
    }

    public async Task<ListPage<TableEntity>> ListAsync(string fromKey, string toKey, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {fromKey} and RowKey lt {toKey}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
        {
            return new ListPage<TableEntity>(page.Values, page.ContinuationToken);
        }

        return new ListPage<TableEntity>([], null);
    }

    /// <summary>Replaces a non-head row under its ETag (an annotation such as lineage), retrying on conflict.</summary>
    public async Task<bool> UpdateRowAsync(string rowKey, Func<TableEntity, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await GetAsync(rowKey, cancellationToken).ConfigureAwait(false);
            if (row is null || !change(row))
            {
                return false;
            }

            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                await Task.Delay(Random.Shared.Next(2, 20), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"'{partition}/{rowKey}' stayed contended for {MaxAttempts} attempts.");
    }
}
