using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving;

/// <summary>The answer to one prediction request.</summary>
public sealed record PredictionResult(string Model, int Version, string RequestId, IReadOnlyList<object?> Predictions);

/// <summary>
/// Scores requests: picks the version (pinned, or routed by the deployment, champion or latest),
/// binds the rows to the model's inputs, runs the shared session (row by row for fixed batch-1
/// models), shapes the outputs, and hands the request to the prediction log and the shadow.
/// </summary>
public sealed class Predictor(ModelSessionCache sessions, TargetResolver targets, ServedPredictions served, ServingStats stats, TimeProvider time)
{
    /// <param name="header">Reads a request header: the deployment's sticky header pins a caller to a version.</param>
    public async Task<PredictionResult> PredictAsync(string name, int? pinnedVersion, JsonElement body, Func<string, string?> header, string requestId, CancellationToken cancellationToken)
    {
        using var activity = ServingStats.Activities.StartActivity("predict");
        activity?.SetTag("flywheel.model", name);
        ArgumentNullException.ThrowIfNull(header);
        var batch = RecordBatch.Parse(body);
        // The cached target (a dictionary read) knows every instance's archive within DeploymentCacheDuration.
        var target = await targets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        var version = target.Serving(pinnedVersion ?? Choose(target, header));

        activity?.SetTag("flywheel.version", version);
        var started = time.GetTimestamp();
        var predictions = await ScoreAsync(name, version, batch, cancellationToken).ConfigureAwait(false);
        return Answered(name, version, pinnedVersion is null ? target : null, requestId, started, predictions, body, static b => b);
    }

    /// <summary>
    /// Scores the usual body straight from its bytes (<see cref="RecordReader"/>) when the model's
    /// target and session are in memory already: no document, no dictionaries, no wait. Null when
    /// anything is not so (a model not loaded yet, another body shape, a value the reader leaves
    /// alone); the caller then takes <see cref="PredictAsync"/>, which answers, or refuses with its
    /// own message, exactly as it always has.
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

            using var inputs = reader.TryRead(body.Span, out var rows);
            if (inputs is null)
            {
                return null;
            }

            using var activity = ServingStats.Activities.StartActivity("predict");
            activity?.SetTag("flywheel.model", name);
            activity?.SetTag("flywheel.version", version);
            var started = time.GetTimestamp();
            var predictions = OutputShaper.Shape(Run(model, inputs), rows);
            // The log and the shadow read the rows as a document: made only for the requests they take.
            return Answered(name, version, pinnedVersion is null ? target : null, requestId, started, predictions, body, static b => JsonSerializer.Deserialize<JsonElement>(b.Span));
        }
    }

    private static int Choose(ServingTarget target, Func<string, string?> header) =>
        target.Choose(target.Deployment?.Sticky is { Length: > 0 } sticky ? header(sticky) : null, Random.Shared);

    /// <summary>Counts the answer and hands it to the prediction log and the shadow (<paramref name="rows"/> makes the request's rows only for them).</summary>
    private PredictionResult Answered<TBody>(string name, int version, ServingTarget? routed, string requestId, long started, IReadOnlyList<object?> predictions,
        TBody body, Func<TBody, JsonElement> rows)
    {
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        stats.Served(name, version, predictions.Count, elapsed);
        served.Observe(name, version, routed, requestId, (body, rows, predictions), static s => s.rows(s.body), static s => s.predictions, elapsed);
        return new PredictionResult(name, version, requestId, predictions);
    }

    /// <summary>Scores a batch on one version, without routing, logging or shadowing.</summary>
    public async Task<IReadOnlyList<object?>> ScoreAsync(string name, int version, RecordBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var lease = await sessions.AcquireAsync(name, version, cancellationToken).ConfigureAwait(false);
        var model = lease.Model;
        var binder = new InputBinder(model.Inputs, batch);
        if (!binder.RowByRow)
        {
            using var inputs = binder.Bind(0, batch.Count);
            return OutputShaper.Shape(Run(model, inputs), batch.Count);
        }

        var predictions = new List<object?>(batch.Count);
        for (var row = 0; row < batch.Count; row++)
        {
            using var inputs = binder.Bind(row, 1);
            predictions.AddRange(OutputShaper.Shape(Run(model, inputs), 1));
        }

        return predictions;
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
            throw new PredictionInputException($"The model rejected the input: {ex.Message}");
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
