using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Flywheel.Contracts.Datasets;
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
    private const string HeadKey = VersionLedger.HeadKey;
    private const string ContractKey = "contract";
    private const string VersionPrefix = "v";
    private static readonly JsonSerializerOptions s_json = Json.Options;

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) =>
        storage.TableAsync(StorageNames.DatasetsTable, cancellationToken);

    public async Task<DatasetVersionEntity?> FindByHashAsync(string name, string sha256, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(name, VersionLedger.HashKey(sha256), cancellationToken: cancellationToken).ConfigureAwait(false);
        return index.HasValue ? await GetAsync(name, index.Value!.GetInt32("Version")!.Value, cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<DatasetVersionEntity?> GetAsync(string name, int version, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(name, VersionLedger.VersionKey(version), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? DatasetVersionEntity.From(entity.Value!) : null;
    }

    public async Task<int?> LatestVersionAsync(string name, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(name, HeadKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return head.HasValue ? DatasetHead.From(head.Value)!.Latest : null;
    }

    /// <summary>The dataset's head row (its newest version and when it was created and last versioned); null when it has no versions.</summary>
    public async Task<DatasetSummary?> GetSummaryAsync(string name, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(name, HeadKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return head.HasValue ? DatasetHead.From(head.Value)!.Summary() : null;
    }

    /// <summary>
    /// Commits <paramref name="draft"/> as the next version, retrying when another writer took the
    /// number first. Returns the committed version, or the existing one when the same content won a race.
    /// </summary>
    public async Task<(DatasetVersionEntity Version, bool Created)> CommitAsync(DatasetVersionEntity draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var ledger = await LedgerAsync(draft.Dataset, cancellationToken).ConfigureAwait(false);
        return await ledger.UpdateAsync(async head =>
        {
            if (await FindByHashAsync(draft.Dataset, draft.Sha256, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return new LedgerChange<(DatasetVersionEntity, bool)>((existing, false), null, []);
            }

            var current = DatasetHead.From(head) ?? DatasetHead.New(draft.Dataset);
            var latest = current.Latest;
            var version = draft with { Version = latest + 1, PreviousVersion = latest == 0 ? null : latest };
            var next = (current with { Latest = version.Version, Created = current.Created ?? now, Updated = now }).ToEntity(ledger, head);
            return new LedgerChange<(DatasetVersionEntity, bool)>((version, true), next,
            [
                new(TableTransactionActionType.Add, version.ToEntity(VersionLedger.VersionKey(version.Version))),
                new(TableTransactionActionType.Add, new TableEntity(draft.Dataset, VersionLedger.HashKey(draft.Sha256)) { ["Version"] = version.Version }),
            ]);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that a model version was trained on this dataset version (lineage).</summary>
    public async Task<bool> LinkModelAsync(string name, int version, ModelLink model, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        return await ledger.UpdateRowAsync(VersionLedger.VersionKey(version), row =>
        {
            var links = DatasetVersionEntity.From(row).Models;
            if (links.Contains(model))
            {
                return false;
            }

            row["Models"] = JsonSerializer.Serialize<IReadOnlyList<ModelLink>>([.. links, model], s_json);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<VersionLedger> LedgerAsync(string name, CancellationToken cancellationToken) =>
        new(await TableAsync(cancellationToken).ConfigureAwait(false), name);

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
            return new ListPage<DatasetSummary>([.. page.Values.Select(head => DatasetHead.From(head)!.Summary())], page.ContinuationToken);
        }

        return new ListPage<DatasetSummary>([], null);
    }

    /// <summary>The cells that count as missing in the dataset: its contract's markers, else the defaults (as profiling counted them).</summary>
    public async Task<IReadOnlyList<string>> MissingMarkersAsync(string name, CancellationToken cancellationToken) =>
        (await GetContractAsync(name, cancellationToken).ConfigureAwait(false))?.MissingMarkers ?? DatasetContract.DefaultMissingMarkers;

    /// <summary>
    /// The contract lives in a blob (<c>datasets/{name}/contract.json</c>): a contract for a wide
    /// dataset, or with many allowed values, outgrows a table property's 64 KB. Contracts written
    /// by earlier releases into the table row are still read until the next PUT replaces them.
    /// </summary>
    public async Task<DatasetContract?> GetContractAsync(string name, CancellationToken cancellationToken)
    {
        var blob = await ContractBlobAsync(name, cancellationToken).ConfigureAwait(false);
        if (await BlobJson.ReadAsync<DatasetContract>(blob, cancellationToken).ConfigureAwait(false) is { } contract)
        {
            return contract;
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(name, ContractKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? JsonSerializer.Deserialize<DatasetContract>(entity.Value!.GetString("Json"), s_json) : null;
    }

    /// <summary>Whether the dataset has a contract, without reading it (a contract can be megabytes).</summary>
    public async Task<bool> HasContractAsync(string name, CancellationToken cancellationToken)
    {
        var blob = await ContractBlobAsync(name, cancellationToken).ConfigureAwait(false);
        if (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return (await table.GetEntityIfExistsAsync<TableEntity>(name, ContractKey, ["PartitionKey"], cancellationToken).ConfigureAwait(false)).HasValue;
    }

    public async Task PutContractAsync(string name, DatasetContract contract, CancellationToken cancellationToken)
    {
        var blob = await ContractBlobAsync(name, cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(BinaryData.FromObjectAsJson(contract, s_json), overwrite: true, cancellationToken).ConfigureAwait(false);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(name, ContractKey, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BlobClient> ContractBlobAsync(string name, CancellationToken cancellationToken) =>
        (await storage.ContainerAsync(StorageNames.DatasetsContainer, cancellationToken).ConfigureAwait(false)).GetBlobClient($"{name}/contract.json");

}
