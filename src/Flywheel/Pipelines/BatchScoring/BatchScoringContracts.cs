using System.Text.Json.Serialization;
using Flywheel.Contracts.Pipelines;

namespace Flywheel.Pipelines.BatchScoring;

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
