using Flywheel.Contracts.Training;

namespace Flywheel.Training.Evaluation;

/// <summary>A point of a threshold curve: ROC (x false-positive rate, y true-positive rate) or precision-recall (x recall, y precision).</summary>
public readonly record struct CurvePoint(double X, double Y);

/// <summary>
/// The metrics Flywheel reports, computed the way scikit-learn does so they can be checked against
/// it: ROC AUC by the trapezoid over every distinct threshold (ties handled), PR-AUC as average
/// precision, log-losses in nats with probabilities clipped to [1e-15, 1 - 1e-15], the predicted
/// class at probability 0.5 (binary) or the most probable class. Multiclass macro accuracy is the
/// mean per-class recall and macro log-loss the mean of each class's mean log-loss (ML.NET's names).
/// </summary>
public static class TrainingMetrics
{
    private const double Clip = 1e-15;

    public static SortedDictionary<string, double> Compute(ScoredRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Task switch
        {
            TrainingTask.Binary => Binary(rows),
            TrainingTask.Multiclass => Multiclass(rows),
            _ => Regression(rows),
        };
    }

    /// <summary>Whether a larger value of <paramref name="metric"/> is better.</summary>
    public static bool HigherIsBetter(string metric) => metric is not ("logloss" or "macro-logloss" or "rmse" or "mae");

    /// <summary>
    /// The ROC curve from (0,0) to (1,1) and the precision-recall curve (highest threshold first),
    /// one point per distinct score, from one walk over the scores in descending order.
    /// </summary>
    public static (IReadOnlyList<CurvePoint> Roc, IReadOnlyList<CurvePoint> PrecisionRecall) Curves(ScoredRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (positives, negatives) = Counts(rows);
        var roc = new List<CurvePoint> { new(0, 0) };
        var pr = new List<CurvePoint>();
        foreach (var (tp, fp) in Thresholds(rows))
        {
            roc.Add(new CurvePoint(negatives == 0 ? 0 : fp / negatives, positives == 0 ? 0 : tp / positives));
            pr.Add(new CurvePoint(positives == 0 ? 0 : tp / positives, tp / (tp + fp)));
        }

        return (roc, pr);
    }

    /// <summary>Counts by true class (rows) and predicted class (columns).</summary>
    public static long[,] Confusion(ScoredRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var classes = rows.Task == TrainingTask.Binary ? 2 : rows.Width;
        var matrix = new long[classes, classes];
        for (var row = 0; row < rows.Rows; row++)
        {
            matrix[(int)rows.Truth[row], rows.PredictedClass(row)]++;
        }

        return matrix;
    }

    private static SortedDictionary<string, double> Binary(ScoredRows rows)
    {
        double tp = 0, fp = 0, tn = 0, fn = 0, loss = 0;
        for (var row = 0; row < rows.Rows; row++)
        {
            var positive = rows.Truth[row] == 1;
            var predicted = rows.PredictedClass(row) == 1;
            (tp, fp, tn, fn) = (positive, predicted) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (false, true) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
            loss += LogLoss(rows.TrueClassProbability(row));
        }

        var (roc, pr) = Curves(rows);
        var auc = 0.0;
        for (var i = 1; i < roc.Count; i++)
        {
            auc += (roc[i].X - roc[i - 1].X) * (roc[i].Y + roc[i - 1].Y) / 2;
        }

        var averagePrecision = 0.0;
        var previousRecall = 0.0;
        foreach (var point in pr)
        {
            averagePrecision += (point.X - previousRecall) * point.Y;
            previousRecall = point.X;
        }

        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        return new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["auc"] = auc,
            ["prauc"] = averagePrecision,
            ["accuracy"] = Ratio(tp + tn, rows.Rows),
            ["precision"] = precision,
            ["recall"] = recall,
            ["f1"] = Ratio(2 * precision * recall, precision + recall),
            ["logloss"] = Ratio(loss, rows.Rows),
        };
    }

    private static SortedDictionary<string, double> Multiclass(ScoredRows rows)
    {
        var classes = rows.Width;
        var confusion = Confusion(rows);
        var classLoss = new double[classes];
        var classRows = new long[classes];
        var loss = 0.0;
        for (var row = 0; row < rows.Rows; row++)
        {
            var value = LogLoss(rows.TrueClassProbability(row));
            loss += value;
            classLoss[(int)rows.Truth[row]] += value;
            classRows[(int)rows.Truth[row]]++;
        }

        double correct = 0, recalls = 0, f1s = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            correct += confusion[c, c];
            long predicted = 0;
            for (var t = 0; t < classes; t++)
            {
                predicted += confusion[t, c];
            }

            var recall = Ratio(confusion[c, c], classRows[c]);
            var precision = Ratio(confusion[c, c], predicted);
            f1s += Ratio(2 * precision * recall, precision + recall);
            if (classRows[c] > 0)
            {
                recalls += recall;
                present++;
            }
        }

        return new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["micro-accuracy"] = Ratio(correct, rows.Rows),
            ["macro-accuracy"] = Ratio(recalls, present),
            ["macro-f1"] = f1s / classes,
            ["logloss"] = Ratio(loss, rows.Rows),
            ["macro-logloss"] = Ratio(Enumerable.Range(0, classes).Where(c => classRows[c] > 0).Sum(c => classLoss[c] / classRows[c]), present),
        };
    }

    private static SortedDictionary<string, double> Regression(ScoredRows rows)
    {
        double squared = 0, absolute = 0, mean = rows.Truth.DefaultIfEmpty(0).Average(), total = 0;
        for (var row = 0; row < rows.Rows; row++)
        {
            var error = rows.Values[row] - rows.Truth[row];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (rows.Truth[row] - mean) * (rows.Truth[row] - mean);
        }

        return new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["rmse"] = Math.Sqrt(Ratio(squared, rows.Rows)),
            ["mae"] = Ratio(absolute, rows.Rows),
            ["r2"] = total == 0 ? 0 : 1 - (squared / total),
        };
    }

    /// <summary>Cumulative true and false positives at each distinct score, highest first (scikit-learn's _binary_clf_curve).</summary>
    private static IEnumerable<(double TruePositives, double FalsePositives)> Thresholds(ScoredRows rows)
    {
        var order = Enumerable.Range(0, rows.Rows).ToArray();
        Array.Sort(order, (a, b) => rows.Values[b].CompareTo(rows.Values[a]));
        double tp = 0, fp = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (rows.Truth[order[i]] == 1)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (i == order.Length - 1 || rows.Values[order[i + 1]] != rows.Values[order[i]])
            {
                yield return (tp, fp);
            }
        }
    }

    private static (double Positives, double Negatives) Counts(ScoredRows rows)
    {
        var positives = rows.Truth.Count(t => t == 1);
        return (positives, rows.Rows - positives);
    }

    private static double LogLoss(double probability) => -Math.Log(Math.Clamp(probability, Clip, 1 - Clip));

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
