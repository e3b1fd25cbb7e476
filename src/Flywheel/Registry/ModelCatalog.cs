using System.Text.Json;
using Azure.Data.Tables;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Storage;

namespace Flywheel.Registry;

/// <summary>
/// The <c>models</c> table: one <see cref="VersionLedger"/> partition per model. The head row (<see cref="ModelHead"/>) holds
/// the latest version and the aliases, so an alias change, a registration or an archive rewrites
/// the head under its ETag together with its history row: no lost update, no missing history.
/// </summary>
public sealed class ModelCatalog(StorageClients storage)
{
    private static readonly JsonSerializerOptions s_json = Json.Options;

    public async Task<VersionLedger> LedgerAsync(string name, CancellationToken cancellationToken) =>
        new(await storage.TableAsync(StorageNames.ModelsTable, cancellationToken).ConfigureAwait(false), name);

    public static TableEntity ToEntity(string name, ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new TableEntity(name, VersionLedger.VersionKey(version.Version))
        {
            ["Version"] = version.Version,
            ["Sha256"] = version.Sha256,
            ["SizeBytes"] = version.SizeBytes,
            ["Created"] = version.Created,
            ["CreatedBy"] = version.CreatedBy,
            ["Description"] = version.Description,
            ["Tags"] = JsonSerializer.Serialize(version.Tags, s_json),
            ["Metrics"] = JsonSerializer.Serialize(version.Metrics, s_json),
            ["Dataset"] = version.Dataset?.Name,
            ["DatasetVersion"] = version.Dataset?.Version,
            ["RunId"] = version.RunId,
            ["FeatureNames"] = version.FeatureNames is null ? null : JsonSerializer.Serialize(version.FeatureNames, s_json),
            ["Training"] = version.Training is null ? null : JsonSerializer.Serialize(version.Training, s_json),
            ["Archived"] = version.Archived,
            ["ArchivedAt"] = version.ArchivedAt,
        };
    }

    public static ModelVersion FromEntity(TableEntity entity, IReadOnlyDictionary<string, int> aliases)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var number = entity.GetInt32("Version") ?? 0;
        var sha = entity.GetString("Sha256");
        var dataset = entity.GetString("Dataset");
        return new ModelVersion
        {
            Model = entity.PartitionKey,
            Version = number,
            Sha256 = sha,
            SizeBytes = entity.GetInt64("SizeBytes") ?? 0,
            Created = entity.GetDateTimeOffset("Created") ?? default,
            CreatedBy = entity.GetString("CreatedBy"),
            Description = entity.GetString("Description"),
            Tags = JsonSerializer.Deserialize<Dictionary<string, string>>(entity.GetString("Tags") ?? "{}", s_json) ?? [],
            Metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(entity.GetString("Metrics") ?? "{}", s_json) ?? [],
            Dataset = dataset is null ? null : new DatasetReference(dataset, entity.GetInt32("DatasetVersion") ?? 0),
            RunId = entity.GetString("RunId"),
            FeatureNames = entity.GetString("FeatureNames") is { } features ? JsonSerializer.Deserialize<string[]>(features, s_json) : null,
            Training = entity.GetString("Training") is { } training ? JsonSerializer.Deserialize<TrainingRecord>(training, s_json) : null,
            Archived = entity.GetBoolean("Archived") ?? false,
            ArchivedAt = entity.GetDateTimeOffset("ArchivedAt"),
            Aliases = [.. aliases.Where(a => a.Value == number).Select(a => a.Key).Order(StringComparer.Ordinal)],
            ContentPath = $"{StorageNames.ModelsContainer}/{ModelBlobs.ContentPath(entity.PartitionKey, sha)}",
        };
    }

    public async Task<ListPage<ModelSummary>> ListModelsAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.ModelsTable, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {VersionLedger.HeadKey}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
        {
            return new ListPage<ModelSummary>([.. page.Values.Select(head => ModelHead.From(head)!.Summary())], page.ContinuationToken);
        }

        return new ListPage<ModelSummary>([], null);
    }

    public static HistoryEntry History(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new HistoryEntry(entity.GetInt64("Sequence") ?? 0, WireNames.Parse<HistoryAction>(entity.GetString("Action")), entity.GetString("Alias"),
            entity.GetInt32("From"), entity.GetInt32("To"), entity.GetInt32("Version"), entity.GetDateTimeOffset("When") ?? default, entity.GetString("By"), entity.GetString("Detail"));
    }

    public static TableEntity HistoryRow(HistoryAction action, DateTimeOffset when, string? by, string? alias = null, int? from = null, int? to = null, int? version = null, string? detail = null) => new()
    {
        ["Action"] = WireNames.Of(action),
        ["Alias"] = alias,
        ["From"] = from,
        ["To"] = to,
        ["Version"] = version,
        ["When"] = when,
        ["By"] = by,
        ["Detail"] = detail,
    };
}
