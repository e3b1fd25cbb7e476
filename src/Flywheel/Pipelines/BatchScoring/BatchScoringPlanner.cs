using System.Globalization;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;
using Flywheel.Errors;
using Flywheel.Onnx;
using Flywheel.Registry;
using Flywheel.Serving;
using Microsoft.Extensions.Options;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Checks a batch scoring request against what is stored and turns it into a plan. The HTTP
/// starter runs <see cref="CheckAsync"/> so bad input is a 4xx at the POST; the plan activity
/// runs <see cref="PlanAsync"/>, which checks again (data can change in between) and scans the file.
/// </summary>
public sealed class BatchScoringPlanner(ModelRegistry registry, DatasetQueries datasets, DatasetBlobs blobs, Predictor predictor, IOptions<PipelineOptions> options)
{
    public const int MinChunkRows = 100;
    public const int MaxChunkRows = 1_000_000;

    /// <summary>The exact versions a request resolves to and the columns the model reads.</summary>
    public sealed record Resolved(ModelVersion Model, DatasetVersion Dataset, IReadOnlyList<FeatureColumn> Features);

    public async Task<Resolved> CheckAsync(BatchScoringRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ResourceName.IsValid(request.Model))
        {
            throw Invalid("invalid-name", $"'{request.Model}' is not a valid model name: use {ResourceName.Rule}.");
        }

        if (!ResourceName.IsValid(request.Dataset))
        {
            throw Invalid("invalid-name", $"'{request.Dataset}' is not a valid dataset name: use {ResourceName.Rule}.");
        }

        if (request.ChunkRows is < MinChunkRows or > MaxChunkRows)
        {
            throw Invalid("invalid-batch", $"chunkRows must be within [{MinChunkRows:N0}, {MaxChunkRows:N0}]; it is {request.ChunkRows:N0}.");
        }

        var model = await ResolveModelAsync(request, cancellationToken).ConfigureAwait(false);
        var dataset = await datasets.GetAsync(request.Dataset, request.DatasetVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, "not-found", $"Dataset '{request.Dataset}' has no version '{request.DatasetVersion}'.");
        if (dataset.Format != "csv")
        {
            throw new FlywheelException(ErrorKind.Unprocessable, "unsupported-format",
                $"Dataset '{dataset.Dataset}' v{dataset.Version} is {dataset.Format}; batch scoring reads CSV versions.");
        }

        var chunks = (dataset.Rows + request.ChunkRows - 1) / request.ChunkRows;
        if (chunks > options.Value.MaxChunks)
        {
            throw Invalid("invalid-batch", $"{dataset.Rows:N0} rows in chunks of {request.ChunkRows:N0} make {chunks:N0} chunks; the limit is {options.Value.MaxChunks:N0}: raise chunkRows.");
        }

        return new Resolved(model, dataset, Features(model, dataset));
    }

    public async Task<BatchScoringPlan> PlanAsync(BatchScoringRequest request, string instanceId, CancellationToken cancellationToken)
    {
        var (model, dataset, features) = await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        var content = await blobs.ContentAsync(dataset.Dataset, dataset.Sha256, cancellationToken).ConfigureAwait(false);
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

        // Scoring the first row proves the model takes this data, and names the output's columns.
        IReadOnlyList<string> columns = [PredictionTable.ScalarColumn];
        if (boundaries.FirstRow is { } sample)
        {
            using var writer = new ChunkRequestWriter(features, 1);
            writer.Add(sample);
            var predictions = await ScoreAsync(model, writer.Complete(), cancellationToken).ConfigureAwait(false);
            columns = PredictionTable.Columns(predictions[0]);
        }

        return new BatchScoringPlan(model.Model, model.Version, dataset.Dataset, dataset.Version, dataset.Sha256, boundaries.Rows,
            Math.Max(boundaries.HeaderBytes, 0), features, columns, request.Output, BatchOutputBlobs.OutputPath(model.Model, instanceId, request.Output), chunks);
    }

    /// <summary>Scores one request body with the serving code: the same binding, checks and output shaping as <c>predict</c>.</summary>
    public async Task<IReadOnlyList<object?>> ScoreAsync(ModelVersion model, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return await predictor.ScoreAsync(model.Model, model.Version, RecordBatch.Parse(document.RootElement), cancellationToken).ConfigureAwait(false);
    }

    private async Task<ModelVersion> ResolveModelAsync(BatchScoringRequest request, CancellationToken cancellationToken)
    {
        var model = request.ModelVersion is { Length: > 0 } reference
            ? await registry.GetAsync(request.Model, reference, cancellationToken).ConfigureAwait(false)
            : await registry.GetAsync(request.Model, ServingTarget.ChampionAlias, cancellationToken).ConfigureAwait(false)
                ?? await registry.GetAsync(request.Model, ModelRegistry.Latest, cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            throw new ModelNotFoundException(request.ModelVersion is { Length: > 0 } v
                ? $"Model '{request.Model}' has no version or alias '{v}'."
                : $"Model '{request.Model}' is not registered.");
        }

        if (model.Archived)
        {
            throw new FlywheelException(ErrorKind.Conflict, "archived", $"Version {model.Version} of '{model.Model}' is archived: it cannot score.");
        }

        return model.Signature is null
            ? throw new FlywheelException(ErrorKind.Unprocessable, "invalid-model", $"Version {model.Version} of '{model.Model}' has no signature.")
            : model;
    }

    /// <summary>Which dataset columns feed the model, by the same rules the serving binder applies to records.</summary>
    private static List<FeatureColumn> Features(ModelVersion model, DatasetVersion dataset)
    {
        var signature = model.Signature!;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < dataset.Columns.Count; i++)
        {
            index.TryAdd(dataset.Columns[i], i);
        }

        var perColumn = signature.Inputs.Count > 1 || signature.Inputs.Any(i => index.ContainsKey(i.Name));
        IReadOnlyList<(string Name, ValueSpec Input)> wanted;
        if (perColumn)
        {
            wanted = [.. signature.Inputs.Select(i => (i.Name, i))];
        }
        else
        {
            var input = signature.Inputs[0];
            if (input.Shape is not { Count: 2 })
            {
                throw new FlywheelException(ErrorKind.Unprocessable, "unsupported-model",
                    $"Input '{input.Name}' has shape [{string.Join(", ", input.Shape ?? [])}]: batch scoring feeds table rows, one [rows, features] matrix or one column per input.");
            }

            var names = model.FeatureNames is { Count: > 0 } registered
                ? registered
                : input.Shape[1] > 0 && dataset.Columns.Count == input.Shape[1]
                    ? dataset.Columns
                    : throw new FlywheelException(ErrorKind.Unprocessable, "missing-feature-names",
                        $"Input '{input.Name}' takes {input.Shape[1]} features per row, the dataset has {dataset.Columns.Count} columns, and version {model.Version} has no registered feature names to pick them: register the model with \"featureNames\".");
            wanted = [.. names.Select(n => (n, input))];
        }

        var missing = wanted.Where(w => !index.ContainsKey(w.Name)).Select(w => w.Name).ToList();
        if (missing.Count > 0)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, "missing-column",
                $"Dataset '{dataset.Dataset}' v{dataset.Version} lacks column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} that model '{model.Model}' v{model.Version} needs.")
            {
                Extensions = new Dictionary<string, object?> { ["missingColumns"] = missing },
            };
        }

        return [.. wanted.Select(w => new FeatureColumn(w.Name, index[w.Name], Kind(w.Input.ElementType)))];
    }

    private static CellKind Kind(string? elementType) => elementType switch
    {
        "string" => CellKind.Text,
        "bool" => CellKind.Boolean,
        _ => CellKind.Number,
    };

    private static FlywheelException Invalid(string code, string message) => new(ErrorKind.InvalidInput, code, message);
}
