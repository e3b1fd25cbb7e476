using Flywheel.Serving.Records;

namespace Flywheel.Serving.Observation;

/// <summary>
/// Scores a batch on one version of a model, without routing, logging or shadowing: what shadow scoring replays a
/// request with. The runtime's predictor is the one scorer; naming it here keeps observation independent of the
/// runtime that reports to it.
/// </summary>
public interface IVersionScorer
{
    Task<IReadOnlyList<object?>> ScoreAsync(string name, int version, RecordBatch batch, CancellationToken cancellationToken);
}
