using Flywheel.Contracts.Training;

namespace Flywheel.Training.Evaluation;

/// <summary>
/// What the report draws of the winner's answers on the test rows: ROC and precision-recall curves
/// (binary; at most <see cref="MaxPoints"/> points each), the confusion matrix (classification),
/// a sample of predicted against actual values (regression), and the permutation importance.
/// </summary>
public sealed record TrainingEvaluation(
    string Task,
    IReadOnlyList<string>? Classes,
    IReadOnlyList<CurvePoint>? Roc,
    IReadOnlyList<CurvePoint>? PrecisionRecall,
    long[][]? Confusion,
    IReadOnlyList<CurvePoint>? Residuals,
    IReadOnlyDictionary<string, double> Importance)
{
    public const int MaxPoints = 400;

    public static TrainingEvaluation From(ScoredRows rows, IReadOnlyDictionary<string, double> importance)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var task = rows.Task.ToString().ToLowerInvariant();
        if (rows.Task == TrainingTask.Regression)
        {
            var step = Math.Max(1, rows.Rows / MaxPoints);
            var residuals = Enumerable.Range(0, rows.Rows).Where(r => r % step == 0).Select(r => new CurvePoint(rows.Truth[r], rows.Values[r])).ToList();
            return new TrainingEvaluation(task, null, null, null, null, residuals, importance);
        }

        var matrix = TrainingMetrics.Confusion(rows);
        var (roc, pr) = rows.Task == TrainingTask.Binary ? TrainingMetrics.Curves(rows) : ([], []);
        var confusion = Enumerable.Range(0, matrix.GetLength(0)).Select(t => Enumerable.Range(0, matrix.GetLength(1)).Select(p => matrix[t, p]).ToArray()).ToArray();
        return rows.Task == TrainingTask.Binary
            ? new TrainingEvaluation(task, rows.Classes, Thin(roc), Thin(pr), confusion, null, importance)
            : new TrainingEvaluation(task, rows.Classes, null, null, confusion, null, importance);
    }

    /// <summary>Every n-th point, keeping the last, so a curve over many thresholds stays drawable.</summary>
    private static List<CurvePoint> Thin(IReadOnlyList<CurvePoint> points)
    {
        var step = Math.Max(1, (points.Count + MaxPoints - 1) / MaxPoints);
        var thinned = points.Where((_, i) => i % step == 0).ToList();
        if (points.Count > 0 && thinned[^1] != points[^1])
        {
            thinned.Add(points[^1]);
        }

        return thinned;
    }
}
