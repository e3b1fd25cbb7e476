namespace Flywheel.Training.Evaluation;

/// <summary>
/// Permutation feature importance (scikit-learn's permutation_importance): how much the metric gets
/// worse when one column's values are shuffled among the rows, averaged over a few seeded shuffles.
/// Whole columns are shuffled as the caller sends them, so a one-hot category counts once.
/// </summary>
public static class PermutationImportance
{
    public const int Repeats = 3;

    public static Dictionary<string, double> Compute(OnnxScorer scorer, FeatureColumns frame, double[] truth, string metric, int seed)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(frame);
        var baseline = TrainingMetrics.Compute(scorer.Score(frame, truth).Scores)[metric];
        var sign = TrainingMetrics.HigherIsBetter(metric) ? 1 : -1;
        // Each feature has its own seeded generator, so scoring them in parallel (a session runs concurrently) gives the same numbers.
        var drops = new double[frame.Features.Count];
        Parallel.For(0, frame.Features.Count, f =>
        {
            var random = new Random(seed + f);
            for (var r = 0; r < Repeats; r++)
            {
                drops[f] += sign * (baseline - TrainingMetrics.Compute(scorer.Score(frame.Permuted(f, random), truth).Scores)[metric]);
            }
        });
        return frame.Features.Select((feature, f) => (feature.Name, Drop: drops[f] / Repeats)).ToDictionary(p => p.Name, p => p.Drop, StringComparer.Ordinal);
    }
}
