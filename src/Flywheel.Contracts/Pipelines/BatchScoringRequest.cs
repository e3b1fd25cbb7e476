using System.Text.Json.Serialization;
using Flywheel.Contracts;

namespace Flywheel.Contracts.Pipelines;

/// <summary>The file a batch scoring run writes: CSV (one column per prediction field) or JSON Lines (one prediction object per line).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchOutputFormat>))]
public enum BatchOutputFormat
{
    [JsonStringEnumMemberName("csv")]
    Csv,

    [JsonStringEnumMemberName("jsonl")]
    Jsonl,
}

/// <summary>
/// <c>POST api/models/{name}/batch-predictions</c>: score every row of a dataset version offline.
/// <see cref="ModelVersion"/> is a number, <c>latest</c> or an alias; null serves what the endpoint
/// serves (the champion alias, else the latest version).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BatchScoringRequest
{
    public const int DefaultChunkRows = 50_000;

    public string Model { get; init; } = string.Empty;

    public required string Dataset { get; init; }

    /// <summary>A number or <c>latest</c>; JSON takes <c>3</c> or <c>"3"</c>.</summary>
    public VersionReference DatasetVersion { get; init; } = VersionReference.Latest;

    /// <summary>A number, <c>latest</c> or an alias; null is the champion, else the latest version.</summary>
    public VersionReference? ModelVersion { get; init; }

    public int ChunkRows { get; init; } = DefaultChunkRows;

    /// <summary>
    /// The dataset columns that feed a model's one [rows, features] input, in the input's order: what
    /// names them when the version has no registered feature names (with them, it overrides them).
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    public BatchOutputFormat Output { get; init; } = BatchOutputFormat.Csv;
}
