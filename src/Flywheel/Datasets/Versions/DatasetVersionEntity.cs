using System.Text.Json;
using Azure.Data.Tables;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Versions;

/// <summary>
/// The table row of a version: everything but the schema and profile, which live in a blob beside
/// the bytes. Column names are kept in the row only while they fit one table property (64 KB):
/// a wide dataset's names come from its profile.
/// </summary>
public sealed record DatasetVersionEntity(
    string Dataset,
    int Version,
    string Sha256,
    long SizeBytes,
    string Format,
    long Rows,
    int ColumnCount,
    IReadOnlyList<string>? Columns,
    string Source,
    DateTimeOffset Created,
    int? PreviousVersion,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ModelLink> Models)
{
    private static readonly JsonSerializerOptions s_json = Json.Options;

    /// <summary>Characters of JSON one string property holds (64 KB of UTF-16, with room to spare).</summary>
    public const int MaxPropertyChars = 30_000;

    public TableEntity ToEntity(string rowKey) => new(Dataset, rowKey)
    {
        ["Version"] = Version,
        ["Sha256"] = Sha256,
        ["SizeBytes"] = SizeBytes,
        ["Format"] = Format,
        ["Rows"] = Rows,
        ["ColumnCount"] = ColumnCount,
        ["Columns"] = Columns is null ? null : JsonSerializer.Serialize(Columns, s_json) is { Length: <= MaxPropertyChars } names ? names : null,
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
            entity.GetInt32("ColumnCount") ?? Names(entity.GetString("Columns")).Length,
            entity.GetString("Columns") is { } columns ? Names(columns) : null,
            entity.GetString("Source") ?? string.Empty,
            entity.GetDateTimeOffset("Created") ?? default,
            entity.GetInt32("PreviousVersion"),
            Names(entity.GetString("Warnings")),
            JsonSerializer.Deserialize<ModelLink[]>(entity.GetString("Models") ?? "[]", s_json) ?? []);
    }

    private static string[] Names(string? json) => json is null ? [] : JsonSerializer.Deserialize<string[]>(json, s_json) ?? [];
}
