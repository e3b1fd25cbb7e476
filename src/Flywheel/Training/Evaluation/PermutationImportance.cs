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
        var importance = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var f = 0; f < frame.Features.Count; f++)
        {
            var random = new Random(seed + f);
            var drop = 0.0;
            for (var r = 0; r < Repeats; r++)
            {
                drop += sign * (baseline - TrainingMetrics.Compute(scorer.Score(frame.Permuted(f, random), truth).Scores)[metric]);
            }

            importance[frame.Features[f].Name] = drop / Repeats;
        }

        return importance;
    }
}
