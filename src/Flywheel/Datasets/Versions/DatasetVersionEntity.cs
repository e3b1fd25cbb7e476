using System.Text.Json;
using Azure.Data.Tables;

namespace Flywheel.Datasets.Versions;

/// <summary>The table row of a version: everything but the schema and profile, which live in a blob beside the bytes.</summary>
public sealed record DatasetVersionEntity(
    string Dataset,
    int Version,
    string Sha256,
    long SizeBytes,
    string Format,
    long Rows,
    IReadOnlyList<string> Columns,
    string Source,
    DateTimeOffset Created,
    int? PreviousVersion,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ModelLink> Models)
{
    private static readonly JsonSerializerOptions s_json = Json.Options;

    public TableEntity ToEntity(string rowKey) => new(Dataset, rowKey)
    {
        ["Version"] = Version,
        ["Sha256"] = Sha256,
        ["SizeBytes"] = SizeBytes,
        ["Format"] = Format,
        ["Rows"] = Rows,
        ["Columns"] = JsonSerializer.Serialize(Columns, s_json),
        ["Source"] = Source,
        ["Created"] = Created,
        ["PreviousVersion"] = PreviousVersion,
        ["Warnings"] = JsonSerializer.Serialize(Warnings, s_json),
        ["Models"] = JsonSerializer.Serialize(Models, s_json),
    };

    public static DatasetVersionEntity From(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new DatasetVersionEntity(
            entity.PartitionKey,
            entity.GetInt32("Version") ?? 0,
            entity.GetString("Sha256"),
            entity.GetInt64("SizeBytes") ?? 0,
            entity.GetString("Format") ?? "csv",
            entity.GetInt64("Rows") ?? 0,
            JsonSerializer.Deserialize<string[]>(entity.GetString("Columns") ?? "[]", s_json) ?? [],
            entity.GetString("Source") ?? string.Empty,
            entity.GetDateTimeOffset("Created") ?? default,
            entity.GetInt32("PreviousVersion"),
            JsonSerializer.Deserialize<string[]>(entity.GetString("Warnings") ?? "[]", s_json) ?? [],
            JsonSerializer.Deserialize<ModelLink[]>(entity.GetString("Models") ?? "[]", s_json) ?? []);
    }
}
