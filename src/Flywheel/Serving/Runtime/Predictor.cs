using System.Diagnostics;
using System.Text.Json;
using Flywheel.Serving.Observation;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Runtime;

/// <summary>The answer to one prediction request.</summary>
public sealed record PredictionResult(string Model, int Version, string RequestId, IReadOnlyList<object?> Predictions)
{
    /// <summary>The records columns left out (<see cref="ExtraColumns.Ignore"/>), in the order they first appear.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];
}

/// <summary>A batch's answers, and the records columns left out to give them.</summary>
internal sealed record ScoredBatch(IReadOnlyList<object?> Predictions, IReadOnlyList<string> IgnoredColumns);

/// <summary>
/// Scores requests: picks the version (pinned, or routed by the deployment, champion or latest),
/// binds the rows to the model's inputs, runs the shared session (row by row for fixed batch-1
/// models), shapes the outputs, and hands the request to the prediction log and the shadow. A failure
/// after the version is chosen is counted against it when it is the version's (<see cref="VersionFault"/>).
/// </summary>
public sealed class Predictor(ModelSessionCache sessions, TargetResolver targets, ServedPredictions served, ServingStats stats, TimeProvider time, Random random) : IVersionScorer
{
    /// <param name="header">Reads a request header: the deployment's sticky header pins a caller to a version.</param>
    public Task<PredictionResult> PredictAsync(string name, int? pinnedVersion, JsonElement body, Func<string, string?> header, string requestId, CancellationToken cancellationToken) =>
        PredictAsync(name, pinnedVersion, body, null, header, requestId, cancellationToken);

    /// <param name="extraColumns">The query's <c>extraColumns</c>, if it had one; settled with the body's (<see cref="ExtraColumnsSetting.Settle"/>).</param>
    /// <param name="header">Reads a request header: the deployment's sticky header pins a caller to a version.</param>
    public async Task<PredictionResult> PredictAsync(string name, int? pinnedVersion, JsonElement body, ExtraColumns? extraColumns, Func<string, string?> header, string requestId,
        CancellationToken cancellationToken)
    {
        using var activity = ServingStats.Activities.StartActivity("predict");
        activity?.SetTag("flywheel.model", name);
        ArgumentNullException.ThrowIfNull(header);
        var batch = RecordBatch.Parse(body);
        var extra = ExtraColumnsSetting.Settle(extraColumns, batch.ExtraColumns);
        var (target, version) = await ServingAsync(name, pinnedVersion, header, cancellationToken).ConfigureAwait(false);

        activity?.SetTag("flywheel.version", version);
        var started = time.GetTimestamp();
        try
        {
            using var lease = await sessions.AcquireAsync(name, version, cancellationToken).ConfigureAwait(false);
            var scored = Score(lease.Model, batch, extra);
            return Answered(name, version, pinnedVersion is null ? target : null, requestId, started, batch, body, scored);
        }
        catch (Exception ex) when (stats.CountedFailure(name, version, ex))
        {
            throw; // never reached: the filter only counts
        }
    }

    /// <summary>
    /// Scores a <c>text/csv</c> body: read as CSV first (a bad line is a 400 before any model loads),
    /// then typed by the answering version's inputs (<see cref="CsvBody.ToRecords"/>) and bound as the
    /// same rows sent as JSON records would be, so both answer alike.
    /// </summary>
    /// <param name="header">Reads a request header: the deployment's sticky header pins a caller to a version.</param>
    public async Task<PredictionResult> PredictCsvAsync(string name, int? pinnedVersion, byte[] body, ExtraColumns extraColumns, Func<string, string?> header, string requestId,
        CancellationToken cancellationToken)
    {
        using var activity = ServingStats.Activities.StartActivity("predict");
        activity?.SetTag("flywheel.model", name);
        ArgumentNullException.ThrowIfNull(header);
        var csv = await CsvBody.ReadAsync(body, cancellationToken).ConfigureAwait(false);
        var (target, version) = await ServingAsync(name, pinnedVersion, header, cancellationToken).ConfigureAwait(false);

        activity?.SetTag("flywheel.version", version);
        var started = time.GetTimestamp();
        try
        {
            using var lease = await sessions.AcquireAsync(name, version, cancellationToken).ConfigureAwait(false);
            using var records = csv.ToRecords(lease.Model.Inputs);
            var batch = RecordBatch.Parse(records.RootElement);
            var scored = Score(lease.Model, batch, extraColumns);
            return Answered(name, version, pinnedVersion is null ? target : null, requestId, started, batch, records.RootElement, scored);
        }
        catch (Exception ex) when (stats.CountedFailure(name, version, ex))
        {
            throw; // never reached: the filter only counts
        }
    }

    /// <summary>The model's target and the version that answers: the pinned one, else the deployment's choice.</summary>
    private async Task<(ServingTarget Target, int Version)> ServingAsync(string name, int? pinnedVersion, Func<string, string?> header, CancellationToken cancellationToken)
    {
        // The cached target (a dictionary read) knows every instance's archive within DeploymentCacheDuration.
        var target = await targets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return (target, target.Serving(pinnedVersion ?? Choose(target, header)));
    }

    /// <summary>
    /// Scores the usual body straight from its bytes (<see cref="RecordReader"/>) when the model's
    /// target and session are in memory already: no document, no dictionaries, no wait. Null when
    /// anything is not so (a model not loaded yet, another body shape, a value the reader leaves
    /// alone); the caller then takes <see cref="PredictAsync(string, int?, JsonElement, ExtraColumns?, Func{string, string?}, string, CancellationToken)"/>,
    /// which answers, or refuses with its own message, exactly as it always has. The reader takes
    /// only rows that name exactly the model's columns, so rows with extra columns (and a body that
    /// says <c>extraColumns</c>) take that path too, whatever the setting: nothing is left out here.
    /// </summary>
    /// <param name="header">Reads a request header: the deployment's sticky header pins a caller to a version.</param>
    public PredictionResult? TryPredictRecords(string name, int? pinnedVersion, ReadOnlyMemory<byte> body, Func<string, string?> header, string requestId)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (!targets.TryGetCached(name, out var target))
        {
            return null;
        }

        var version = pinnedVersion ?? Choose(target, header);
        if (!target.Serves(version) || !sessions.TryAcquireLoaded(name, version, out var lease))
        {
            return null;
        }

        using (lease)
        {
            var model = lease.Model;
            if (model.Inputs.Records is not { } reader)
            {
                return null;
            }

            var runs = model.OneRow;
            var run = runs?.Rent();
            try
            {
                if (!reader.TryRead(body.Span, run?.Inputs, out var rows, out var read))
                {
                    return null;
                }

                using var inputs = read;
                using var activity = ServingStats.Activities.StartActivity("predict");
                activity?.SetTag("flywheel.model", name);
                activity?.SetTag("flywheel.version", version);
                var started = time.GetTimestamp();
                IReadOnlyList<OutputValue> outputs;
                try
                {
                    outputs = inputs is null ? Run(model, runs!, run!) : Run(model, inputs);
                }
                catch (Exception ex) when (stats.CountedFailure(name, version, ex))
                {
                    throw; // never reached: the filter only counts
                }

                var predictions = OutputShaper.Shape(outputs, rows);
                // The log and the shadow read the rows as a document: made only for the requests they take.
                return Answered(name, version, pinnedVersion is null ? target : null, requestId, started, predictions, body, static b => JsonSerializer.Deserialize<JsonElement>(b.Span));
            }
            finally
            {
                if (run is not null)
                {
                    runs!.Return(run);
                }
            }
        }
    }

    private int Choose(ServingTarget target, Func<string, string?> header) =>
        target.Choose(target.Deployment?.Sticky is { Length: > 0 } sticky ? header(sticky) : null, random);

    /// <summary>Counts the answer and hands it to the prediction log and the shadow (<paramref name="rows"/> makes the request's rows only for them).</summary>
    private PredictionResult Answered<TBody>(string name, int version, ServingTarget? routed, string requestId, long started, IReadOnlyList<object?> predictions,
        TBody body, Func<TBody, JsonElement> rows)
    {
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        stats.Served(name, version, predictions, elapsed);
        served.Observe(name, version, routed, requestId, (body, rows, predictions), static s => s.rows(s.body), static s => s.predictions, elapsed);
        return new PredictionResult(name, version, requestId, predictions);
    }

    /// <summary>
    /// Answers a batch the general path scored. When columns were left out, the log and the shadow get
    /// the rows the model saw (<see cref="RecordBatch.Without"/>): a column the caller sent beside the
    /// features (the label, an id) is never stored with the prediction nor fed to the shadow.
    /// </summary>
    private PredictionResult Answered(string name, int version, ServingTarget? routed, string requestId, long started, RecordBatch batch, JsonElement body, ScoredBatch scored) =>
        scored.IgnoredColumns.Count == 0
            ? Answered(name, version, routed, requestId, started, scored.Predictions, body, static b => b)
            : Answered(name, version, routed, requestId, started, scored.Predictions, (batch, scored.IgnoredColumns), static s => s.batch.Without(s.IgnoredColumns))
                with { IgnoredColumns = scored.IgnoredColumns };

    /// <summary>Scores a batch on one version, without routing, logging or shadowing.</summary>
    public async Task<IReadOnlyList<object?>> ScoreAsync(string name, int version, RecordBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var lease = await sessions.AcquireAsync(name, version, cancellationToken).ConfigureAwait(false);
        return Score(lease.Model, batch, ExtraColumns.Reject).Predictions;
    }

    private static ScoredBatch Score(LoadedModel model, RecordBatch batch, ExtraColumns extraColumns)
    {
        var binder = new InputBinder(model.Inputs, batch, extraColumns);
        if (!binder.RowByRow)
        {
            using var inputs = binder.Bind(0, batch.Count);
            return new ScoredBatch(OutputShaper.Shape(Run(model, inputs), batch.Count), binder.Ignored);
        }

        var predictions = new List<object?>(batch.Count);
        for (var row = 0; row < batch.Count; row++)
        {
            using var inputs = binder.Bind(row, 1);
            predictions.AddRange(OutputShaper.Shape(Run(model, inputs), 1));
        }

        return new ScoredBatch(predictions, binder.Ignored);
    }

    /// <summary>
    /// Runs one row on its pre-bound <paramref name="run"/>. When the bound Run fails, the same row runs
    /// unbound: a failure there is the row's (the model refuses it, as it would have anyway); a success means
    /// the model's outputs do not keep the one-row shapes its metadata gives, and its one-row requests run
    /// unbound from then on. Either way the answer is the unbound Run's.
    /// </summary>
    public static IReadOnlyList<OutputValue> Run(LoadedModel model, OneRowRuns runs, OneRowRun run)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return run.Run();
        }
        catch (OnnxRuntimeException)
        {
            using var inputs = run.Unbound();
            var outputs = Run(model, inputs);
            runs.Disable();
            return outputs;
        }
    }

    /// <summary>
    /// Runs the session on native values (the OrtValue API skips the managed projections of
    /// NamedOnnxValue) and copies every output out, so the native results are released at once.
    /// </summary>
    public static IReadOnlyList<OutputValue> Run(LoadedModel model, ModelInputs inputs, IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var names = outputNames ?? model.OutputNames;
        IDisposableReadOnlyCollection<OrtValue> results;
        try
        {
            results = model.Session.Run(model.RunOptions, inputs.Names, inputs.Values, model.Fetch(names));
        }
        catch (OnnxRuntimeException ex)
        {
            // The inputs were checked against the signature; what is left is a value the model itself rejects.
            throw new PredictionInputException($"The model rejected the input: {ex.Message}") { RaisedByModel = true };
        }

        using (results)
        {
            var outputs = new OutputValue[results.Count];
            for (var i = 0; i < outputs.Length; i++)
            {
                outputs[i] = model.ZipMap(names[i]) is { } zipMap ? OutputValue.FromProbabilities(zipMap, results[i]) : OutputValue.Read(names[i], results[i]);
            }

            return outputs;
        }
    }
}
