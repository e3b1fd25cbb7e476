namespace Flywheel.Statistics;

/// <summary>
/// Evidently's Z-test for a column with at most two values: the share of one value in each sample,
/// z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)) with the pooled share P, two-sided p = erfc(|z| / √2).
/// Both samples holding the same single value is no difference (p = 1).
/// </summary>
public static class ProportionsZ
{
    public static (double Statistic, double PValue) Test(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var keys = reference.Keys.Union(current.Keys).Order(StringComparer.Ordinal).ToList();
        if (keys.Count <= 1)
        {
            return (0, 1);
        }

        double n1 = reference.Values.Sum(), n2 = current.Values.Sum();
        var p1 = reference.GetValueOrDefault(keys[0]) / n1;
        var p2 = current.GetValueOrDefault(keys[0]) / n2;
        var pooled = ((p1 * n1) + (p2 * n2)) / (n1 + n2);
        var z = (p1 - p2) / Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        return (z, Gamma.Erfc(Math.Abs(z) / Math.Sqrt(2)));
    }
}
