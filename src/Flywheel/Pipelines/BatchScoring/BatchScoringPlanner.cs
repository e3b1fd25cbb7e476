using System.Globalization;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;
using Flywheel.Registry;
using Flywheel.Serving;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Runtime;
using Microsoft.Extensions.Options;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Checks a batch scoring request against what is stored and turns it into a plan. The HTTP
/// starter runs <see cref="CheckAsync"/> so bad input is a 4xx at the POST; the plan activity
/// runs <see cref="PlanAsync"/>, which checks again (data can change in between) and scans the file.
/// </summary>
public sealed class BatchScoringPlanner(ModelRegistry registry, DatasetQueries datasets, DatasetBlobs blobs, ModelSessionCache sessions, IOptions<PipelineOptions> options)
{
    public const int MinChunkRows = 100;
    public const int MaxChunkRows = 1_000_000;

    /// <summary>The exact versions a request resolves to and the columns the model reads.</summary>
    public sealed record Resolved(ModelVersion Model, DatasetVersion Dataset, IReadOnlyList<BatchInput> Inputs, IReadOnlyList<FeatureColumn> Features);

    public async Task<Resolved> CheckAsync(BatchScoringRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ResourceName.IsValid(request.Model))
        {
            throw Invalid(ProblemTypes.InvalidName, $"'{request.Model}' is not a valid model name: use {ResourceName.Rule}.");
        }

        if (!ResourceName.IsValid(request.Dataset))
        {
            throw Invalid(ProblemTypes.InvalidName, $"'{request.Dataset}' is not a valid dataset name: use {ResourceName.Rule}.");
        }

        if (request.ChunkRows is < MinChunkRows or > MaxChunkRows)
        {
            throw Invalid(ProblemTypes.InvalidBatch, $"chunkRows must be within [{MinChunkRows:N0}, {MaxChunkRows:N0}]; it is {request.ChunkRows:N0}.");
        }

        var model = await ResolveModelAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.DatasetVersion.Alias is { } alias)
        {
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidVersion, $"datasetVersion '{alias}' is not a dataset version: use a number or \"latest\" (datasets have no aliases).");
        }

        var dataset = await datasets.GetAsync(request.Dataset, request.DatasetVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Dataset '{request.Dataset}' has no version '{request.DatasetVersion}'.");
        if (dataset.Format is not ("csv" or "parquet"))
        {
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnsupportedFormat,
                $"Dataset '{dataset.Dataset}' v{dataset.Version} is {dataset.Format}; batch scoring reads CSV and Parquet versions.");
        }

        var chunks = (dataset.Rows + request.ChunkRows - 1) / request.ChunkRows;
        if (chunks > options.Value.MaxChunks)
        {
            throw Invalid(ProblemTypes.InvalidBatch, $"{dataset.Rows:N0} rows in chunks of {request.ChunkRows:N0} make {chunks:N0} chunks; the limit is {options.Value.MaxChunks:N0}: raise chunkRows.");
        }

        var (inputs, features) = Layout(model, dataset, request.Columns);
        return new Resolved(model, dataset, inputs, features);
    }

    public async Task<BatchScoringPlan> PlanAsync(BatchScoringRequest request, string instanceId, CancellationToken cancellationToken)
    {
        var (model, dataset, inputs, features) = await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        var content = await blobs.ContentAsync(dataset.Dataset, dataset.Sha256, cancellationToken).ConfigureAwait(false);
        if (dataset.Format == "parquet")
        {
            var (groups, first) = await ParquetChunks.PlanAsync(content, request.ChunkRows, dataset.ColumnCount, cancellationToken).ConfigureAwait(false);
            var parquetColumns = first is null
                ? [PredictionTable.ScalarColumn]
                : await SampleColumnsAsync(model, inputs, features, first, cancellationToken).ConfigureAwait(false);
            return new BatchScoringPlan(model.Model, model.Version, dataset.Dataset, dataset.Version, dataset.Sha256, dataset.Format, dataset.Rows,
                0, inputs, features, parquetColumns, request.Output, BatchOutputBlobs.OutputPath(model.Model, instanceId, request.Output), groups);
        }

        var boundaries = new CsvChunkBoundaries(request.ChunkRows);
        await using (var stream = await content.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await new CsvReader().ReadAsync(stream, boundaries, cancellationToken).ConfigureAwait(false);
        }

        var size = dataset.SizeBytes;
        var starts = boundaries.ChunkStarts;
        var chunks = new List<BatchChunk>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : size;
            var first = ((long)i * request.ChunkRows) + 1;
            chunks.Add(new BatchChunk(i, first, Math.Min(request.ChunkRows, boundaries.Rows - first + 1), starts[i], end - starts[i]));
        }

        IReadOnlyList<string> columns = boundaries.FirstRow is { } sample
            ? await SampleColumnsAsync(model, inputs, features, sample, cancellationToken).ConfigureAwait(false)
            : [PredictionTable.ScalarColumn];
        return new BatchScoringPlan(model.Model, model.Version, dataset.Dataset, dataset.Version, dataset.Sha256, dataset.Format, boundaries.Rows,
            Math.Max(boundaries.HeaderBytes, 0), inputs, features, columns, request.Output, BatchOutputBlobs.OutputPath(model.Model, instanceId, request.Output), chunks);
    }

    // Scoring the first row proves the model takes this data, and names the output's columns.
    private async Task<IReadOnlyList<string>> SampleColumnsAsync(ModelVersion model, IReadOnlyList<BatchInput> inputs, IReadOnlyList<FeatureColumn> features, IReadOnlyList<string> row, CancellationToken cancellationToken)
    {
        var tensors = new ChunkTensors(inputs, features, 1, 1);
        tensors.Add(row);
        var predictions = await ScoreAsync(model.Model, model.Version, tensors, cancellationToken).ConfigureAwait(false);
        return PredictionTable.Columns(predictions[0]);
    }

    /// <summary>Scores parsed rows on the serving path's session, Run and output shaping: the predictions <c>predict</c> would answer.</summary>
    internal async Task<IReadOnlyList<object?>> ScoreAsync(string model, int version, ChunkTensors rows, CancellationToken cancellationToken)
    {
        using var lease = await sessions.AcquireAsync(model, version, cancellationToken).ConfigureAwait(false);
        using var inputs = rows.Build();
        return OutputShaper.Shape(Predictor.Run(lease.Model, inputs), rows.Rows);
    }

    private async Task<ModelVersion> ResolveModelAsync(BatchScoringRequest request, CancellationToken cancellationToken)
    {
        var model = request.ModelVersion is { } reference
            ? await registry.GetAsync(request.Model, reference, cancellationToken).ConfigureAwait(false)
            : await registry.GetAsync(request.Model, VersionReference.Parse(AliasName.Champion), cancellationToken).ConfigureAwait(false)
                ?? await registry.GetAsync(request.Model, VersionReference.Latest, cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            throw new ModelNotFoundException(request.ModelVersion is { } v
                ? $"Model '{request.Model}' has no version or alias '{v}'."
                : $"Model '{request.Model}' is not registered.");
        }

        if (model.Archived)
        {
            throw new FlywheelException(ErrorKind.Conflict, ProblemTypes.Archived, $"Version {model.Version} of '{model.Model}' is archived: it cannot score.");
        }

        return model.Signature is null
            ? throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.InvalidModel, $"Version {model.Version} of '{model.Model}' has no signature.")
            : model;
    }

    /// <summary>Which dataset columns feed which input, by the rules the serving binder applies to records.</summary>
    private static (List<BatchInput> Inputs, List<FeatureColumn> Features) Layout(ModelVersion model, DatasetVersion dataset, IReadOnlyList<string>? requested)
    {
        var signature = model.Signature!;
        foreach (var input in signature.Inputs)
        {
            if (input.Kind != "tensor" || input.Shape is not { Count: 1 or 2 } shape || !ChunkTensors.Feeds(input.ElementType))
            {
                throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnsupportedModel,
                    $"Input '{input.Name}' is {input.Type} with shape [{string.Join(", ", input.Shape ?? [])}]: batch scoring feeds table rows to float, double, int64, int32, string or bool tensors of shape [rows] or [rows, features].");
            }

            if (shape[0] > 0)
            {
                throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnsupportedModel,
                    $"Input '{input.Name}' takes exactly {shape[0]} row(s) per call: batch scoring needs a dynamic batch dimension.");
            }
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var columns = dataset.Columns ?? [];
        for (var i = 0; i < columns.Count; i++)
        {
            index.TryAdd(columns[i], i);
        }

        var perColumn = signature.Inputs.Count > 1 || signature.Inputs.Any(i => index.ContainsKey(i.Name));
        var inputs = new List<BatchInput>();
        var wanted = new List<(string Column, int Input, int Slot)>();
        if (perColumn && requested is not null)
        {
            throw Invalid(ProblemTypes.InvalidBatch, $"columns names the dataset columns of a model's one [rows, features] input; version {model.Version} of '{model.Model}' takes one column per input ({string.Join(", ", signature.Inputs.Select(i => i.Name))}).");
        }

        if (perColumn)
        {
            foreach (var (input, i) in signature.Inputs.Select((input, i) => (input, i)))
            {
                if (input.Shape!.Count == 2 && input.Shape[1] > 1)
                {
                    throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnsupportedModel,
                        $"Input '{input.Name}' takes {input.Shape[1]} values per row: one column cannot feed it.");
                }

                inputs.Add(new BatchInput(input.Name, input.ElementType!, input.Shape.Count, 1));
                wanted.Add((input.Name, i, 0));
            }
        }
        else
        {
            var input = signature.Inputs[0];
            if (input.Shape!.Count != 2)
            {
                throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnsupportedModel,
                    $"Input '{input.Name}' has shape [{string.Join(", ", input.Shape)}] and no column is named after it: batch scoring feeds one [rows, features] matrix or one column per input.");
            }

            // Never the dataset's own column order: a dataset with its columns reordered would score wrong and complete.
            var names = requested is { Count: > 0 } ? requested
                : model.FeatureNames is { Count: > 0 } registered ? registered
                : throw new MissingFeatureNamesException(
                    $"Input '{input.Name}' takes one [rows, {(input.Shape[1] > 0 ? input.Shape[1] : "?")}] matrix and version {model.Version} of '{model.Model}' has no registered feature names, "
                    + $"so nothing says which dataset columns feed it, in which order: name them in the request (\"columns\": [...], in the input's order), or {MissingFeatureNamesException.HowToRegister}.");
            if (FeatureNameRules.Repeated(names) is { Count: > 0 } repeated)
            {
                throw Invalid(ProblemTypes.InvalidBatch, $"columns lists {string.Join(", ", repeated)} more than once: each feeds one position of input '{input.Name}'.");
            }

            if (input.Shape[1] > 0 && names.Count != input.Shape[1])
            {
                throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnsupportedModel,
                    $"Input '{input.Name}' takes {input.Shape[1]} features per row; {(ReferenceEquals(names, requested) ? "the request's columns list" : "the registered feature names list")} {names.Count}.");
            }

            inputs.Add(new BatchInput(input.Name, input.ElementType!, 2, names.Count));
            wanted.AddRange(names.Select((n, slot) => (n, 0, slot)));
        }

        var missing = wanted.Where(w => !index.ContainsKey(w.Column)).Select(w => w.Column).ToList();
        if (missing.Count > 0)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.MissingColumn,
                $"Dataset '{dataset.Dataset}' v{dataset.Version} lacks column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} that model '{model.Model}' v{model.Version} needs.")
            {
                Extensions = new Dictionary<string, object?> { ["missingColumns"] = missing },
            };
        }

        return (inputs, [.. wanted.Select(w => new FeatureColumn(w.Column, index[w.Column], w.Input, w.Slot))]);
    }

    private static FlywheelException Invalid(string code, string message) => new(ErrorKind.InvalidInput, code, message);
}
