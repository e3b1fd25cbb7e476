using Flywheel.Contracts.Monitoring;

namespace Flywheel.Monitoring.Performance;

/// <summary>
/// Confidence-based performance estimation for a binary classifier: read each answer's positive
/// probability as the chance it is right, so the expected confusion matrix is the sum of those
/// chances. Expected accuracy is the mean chance the predicted label is right; expected ROC AUC
/// walks the scores from high to low adding p to the expected true positives and 1 − p to the
/// expected false positives. Sound only as far as the probabilities are calibrated.
/// </summary>
public static class ConfidenceBasedEstimate
{
    /// <param name="positive">Each answer's probability of the positive class.</param>
    /// <param name="predictedPositive">Whether each answer's label is the positive class.</param>
    public static PerformanceEstimate? Estimate(IReadOnlyList<double> positive, IReadOnlyList<bool> predictedPositive)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(predictedPositive);
        if (positive.Count == 0)
        {
            return null;
        }

        double right = 0;
        for (var i = 0; i < positive.Count; i++)
        {
            right += predictedPositive[i] ? positive[i] : 1 - positive[i];
        }

        var sorted = positive.OrderDescending().ToArray();
        var expectedPositives = sorted.Sum();
        var expectedNegatives = sorted.Length - expectedPositives;
        double? auc = null;
        if (expectedPositives > 0 && expectedNegatives > 0)
        {
            double area = 0, truePositives = 0, falsePositives = 0;
            for (var i = 0; i < sorted.Length;)
            {
                // Tied scores move together: one diagonal step of the curve, as the exact AUC treats ties.
                double tp = 0, fp = 0;
                var score = sorted[i];
                for (; i < sorted.Length && sorted[i] == score; i++)
                {
                    tp += sorted[i];
                    fp += 1 - sorted[i];
                }

                area += fp * (truePositives + (tp / 2));
                truePositives += tp;
                falsePositives += fp;
            }

            auc = area / (expectedPositives * expectedNegatives);
        }

        return new PerformanceEstimate(positive.Count, right / positive.Count, auc, "cbpe",
            "Estimated from the predicted probabilities, assuming they are calibrated; compare with measured performance when feedback arrives.");
    }
}
