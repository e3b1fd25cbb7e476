using System.Text.Json.Serialization;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Registry;

namespace Flywheel.Pipelines.BatchScoring;

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

/// <summary>A model input the batch feeds: its element type, its rank (1 for [N], 2 for [N, width]) and values per row.</summary>
public sealed record BatchInput(string Name, string ElementType, int Rank, int Width);

/// <summary>A dataset column the model reads: field <see cref="Index"/> of each row goes to slot <see cref="Slot"/> of input <see cref="Input"/>.</summary>
public sealed record FeatureColumn(string Name, int Index, int Input, int Slot);

/// <summary>
/// Rows <see cref="FirstRow"/> (1-based) to <see cref="FirstRow"/> + <see cref="Rows"/> - 1: in a CSV file at bytes
/// <see cref="Offset"/> to <see cref="Offset"/> + <see cref="Length"/>; in a Parquet file, row groups
/// <see cref="FirstRowGroup"/> to <see cref="FirstRowGroup"/> + <see cref="RowGroups"/> - 1 (a row group is never split).
/// </summary>
public sealed record BatchChunk(int Index, long FirstRow, long Rows, long Offset, long Length, int FirstRowGroup = 0, int RowGroups = 0);

/// <summary>
/// Everything the chunks share, resolved once at the start: the exact model and dataset versions
/// (so a promotion or new upload mid-run cannot mix versions), the columns to feed, the header
/// bytes every chunk parses first, and the prediction columns the output file has.
/// </summary>
public sealed record BatchScoringPlan(
    string Model,
    int ModelVersion,
    string Dataset,
    int DatasetVersion,
    string Sha256,
    string Format,
    long Rows,
    long HeaderBytes,
    IReadOnlyList<BatchInput> Inputs,
    IReadOnlyList<FeatureColumn> Features,
    IReadOnlyList<string> PredictionColumns,
    BatchOutputFormat Output,
    string OutputPath,
    IReadOnlyList<BatchChunk> Chunks);

/// <summary>The input of one chunk's activity: the plan without the other chunks (orchestration history stays small).</summary>
public sealed record ChunkWork(BatchScoringPlan Plan, BatchChunk Chunk);

public sealed record ChunkScored(int Index, long Rows);

/// <summary>The run's output: where the predictions are, how many rows, which versions made them.</summary>
public sealed record BatchScoringResult(
    string Blob,
    string ContentUrl,
    long Rows,
    string Model,
    int ModelVersion,
    string Dataset,
    int DatasetVersion,
    BatchOutputFormat Output);

/// <summary>The input of the plan activity: the request and the instance whose folder the output goes to.</summary>
public sealed record PlanWork(BatchScoringRequest Request, string InstanceId);

/// <summary>What the orchestration reports while it runs (the status's <c>customStatus</c>).</summary>
public sealed record BatchScoringProgress(BatchScoringStep Step, int ChunksDone, int ChunksTotal, long RowsScored);

/// <summary>The orchestration's input: the request and the limits in force when it started (so a replay never sees other settings).</summary>
public sealed record BatchScoringStart(BatchScoringRequest Request, int Parallelism, int ActivityAttempts);
