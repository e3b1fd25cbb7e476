using System.Text.Json;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;

namespace Flywheel.Serving.Observation;

/// <summary>
/// What happens after a request is answered, the same for every protocol: the prediction log
/// (sampled) and the shadow version (when the deployment has one), so monitoring sees KServe and
/// Triton clients as it sees Flywheel's own.
/// </summary>
public sealed class ServedPredictions(PredictionLog log, ShadowScoring shadow, TimeProvider time, Random random)
{
    /// <summary>
    /// Hands an answered request to the prediction log (when it is in the sample) and to the shadow
    /// (when the deployment has one and the caller did not pin a version), whichever protocol it came by.
    /// </summary>
    /// <param name="routed">The target that routed the request; null when the caller pinned the version (no shadow).</param>
    /// <param name="body">
    /// Makes the rows in one of <see cref="RecordBatch"/>'s shapes (so monitoring and the shadow read
    /// every protocol alike); called only when the request is logged or shadowed, as is
    /// <paramref name="predictions"/>, which makes one answer per row.
    /// </param>
    public void Observe<TState>(string name, int version, ServingTarget? routed, string requestId, TState state, Func<TState, JsonElement> body,
        Func<TState, IReadOnlyList<object?>> predictions, double elapsedMs)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(predictions);
        JsonElement? rows = null;
        IReadOnlyList<object?>? answers = null;
        if (log.Sampled())
        {
            rows = body(state).Clone();
            answers = predictions(state);
            log.Append(new PredictionRecord(requestId, name, version, time.GetUtcNow(), elapsedMs, rows.Value, answers));
        }

        if (routed?.Deployment?.Shadow is { } shadowRoute && routed.ShadowVersion is { } shadowVersion && shadowVersion != version && random.NextDouble() < shadowRoute.Sample)
        {
            shadow.Enqueue(new ShadowWork(name, shadowVersion, version, requestId, rows ?? body(state).Clone(), answers ?? predictions(state)));
        }
    }
}
