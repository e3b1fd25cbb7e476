namespace Flywheel.Statistics;

/// <summary>
/// Population Stability Index between two binned distributions, the way Evidently computes it:
/// shares per bin, empty bins replaced by 0.0001 (or the smallest non-zero share / 10^6 when that
/// is already tiny), then sum((ref - cur) * ln(ref / cur)). Drift is conventionally PSI >= 0.1.
/// </summary>
public static class Psi
{
    public const double DefaultThreshold = 0.1;

    public static double? Compute(IReadOnlyList<long> reference, IReadOnlyList<long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Count != current.Count)
        {
            throw new ArgumentException("Both distributions need the same bins.", nameof(current));
        }

        var expected = Shares(reference);
        var actual = Shares(current);
        if (expected is null || actual is null)
        {
            return null;
        }

        double psi = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            psi += (expected[i] - actual[i]) * Math.Log(expected[i] / actual[i]);
        }

        return psi;
    }

    private static double[]? Shares(IReadOnlyList<long> counts)
    {
        double total = counts.Sum();
        if (total <= 0)
        {
            return null;
        }

        var shares = counts.Select(c => c / total).ToArray();
        var smallest = shares.Where(s => s > 0).DefaultIfEmpty(1).Min();
        var fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
        for (var i = 0; i < shares.Length; i++)
        {
            if (shares[i] == 0)
            {
                shares[i] = fill;
            }
        }

        return shares;
    }
}
