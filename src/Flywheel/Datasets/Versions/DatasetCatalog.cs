using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Flywheel.Datasets.Contracts;
using Flywheel.Storage;

namespace Flywheel.Datasets.Versions;

/// <summary>
/// The dataset table. One partition per dataset holds a head row (latest version), one row per
/// version, one row per content hash and the contract. A new version is one entity-group
/// transaction (head update under its ETag + version + hash), so versions are gapless, a hash is
/// versioned at most once, and a reader never sees half a version.
/// </summary>
public sealed class DatasetCatalog(StorageClients storage)
{
    private const string HeadKey = "head";
    private const string ContractKey = "contract";
    private const string VersionPrefix = "v";
    private const string HashPrefix = "sha-";
    private const int MaxCommitAttempts = 100;
    private static readonly JsonSerializerOptions s_json = Json.Options;

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) =>
        storage.TableAsync(StorageNames.DatasetsTable, cancellationToken);

    public async Task<DatasetVersionEntity?> FindByHashAsync(string name, string sha256, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(name, HashPrefix + sha256, cancellationToken: cancellationToken).ConfigureAwait(false);
        return index.HasValue ? await GetAsync(name, index.Value!.GetInt32("Version")!.Value, cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<DatasetVersionEntity?> GetAsync(string name, int version, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(name, VersionKey(version), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? DatasetVersionEntity.From(entity.Value!) : null;
    }

    public async Task<int?> LatestVersionAsync(string name, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(name, HeadKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return head.HasValue ? head.Value!.GetInt32("Latest") : null;
    }

    /// <summary>
    /// Commits <paramref name="draft"/> as the next version, retrying when another writer took the
    /// number first. Returns the committed version, or the existing one when the same content won a race.
    /// </summary>
    public async Task<(DatasetVersionEntity Version, bool Created)> CommitAsync(DatasetVersionEntity draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxCommitAttempts; attempt++)
        {
            var head = await table.GetEntityIfExistsAsync<TableEntity>(draft.Dataset, HeadKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var latest = head.HasValue ? head.Value!.GetInt32("Latest") ?? 0 : 0;
            var version = draft with { Version = latest + 1, PreviousVersion = latest == 0 ? null : latest };
            var newHead = new TableEntity(draft.Dataset, HeadKey)
            {
                ["Latest"] = version.Version,
                ["Created"] = head.HasValue ? head.Value!.GetDateTimeOffset("Created") : now,
                ["Updated"] = now,
            };
            List<TableTransactionAction> actions =
            [
                head.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, head.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, newHead),
                new(TableTransactionActionType.Add, version.ToEntity(VersionKey(version.Version))),
                new(TableTransactionActionType.Add, new TableEntity(draft.Dataset, HashPrefix + draft.Sha256) { ["Version"] = version.Version }),
            ];
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return (version, true);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                var existing = await FindByHashAsync(draft.Dataset, draft.Sha256, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    return (existing, false);
                }

                // Someone else took this version number: read the new head and try the next one.
                await Task.Delay(Random.Shared.Next(5, 20 + (attempt * 5)), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"Could not assign a version to dataset '{draft.Dataset}' after {MaxCommitAttempts} attempts.");
    }

    public async Task<ListPage<DatasetVersionEntity>> ListVersionsAsync(string name, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {name} and RowKey ge {VersionPrefix} and RowKey lt {"w"}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
        {
            return new ListPage<DatasetVersionEntity>([.. page.Values.Select(DatasetVersionEntity.From)], page.ContinuationToken);
        }

        return new ListPage<DatasetVersionEntity>([], null);
    }

    public async Task<ListPage<DatasetSummary>> ListDatasetsAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {HeadKey}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
        {
            return new ListPage<DatasetSummary>(
                [.. page.Values.Select(e => new DatasetSummary(e.PartitionKey, e.GetInt32("Latest") ?? 0, e.GetDateTimeOffset("Created") ?? default, e.GetDateTimeOffset("Updated") ?? default))],
                page.ContinuationToken);
        }

        return new ListPage<DatasetSummary>([], null);
    }

    public async Task<DatasetContract?> GetContractAsync(string name, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(name, ContractKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? JsonSerializer.Deserialize<DatasetContract>(entity.Value!.GetString("Json"), s_json) : null;
    }

    public async Task PutContractAsync(string name, DatasetContract contract, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(name, ContractKey) { ["Json"] = JsonSerializer.Serialize(contract, s_json) }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static string VersionKey(int version) => VersionPrefix + version.ToString("D10", CultureInfo.InvariantCulture);
}
