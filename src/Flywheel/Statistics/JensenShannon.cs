namespace Flywheel.Statistics;

/// <summary>
/// The Jensen-Shannon distance between two samples' category shares (scipy's jensenshannon, natural
/// log: the square root of the mean of both relative entropies to the average distribution), over the
/// union of both samples' categories; 0 for the same shares, at most √ln 2.
/// </summary>
public static class JensenShannon
{
    public static double Distance(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        double n1 = reference.Values.Sum(), n2 = current.Values.Sum();
        var divergence = 0.0;
        foreach (var key in reference.Keys.Union(current.Keys))
        {
            var p = reference.GetValueOrDefault(key) / n1;
            var q = current.GetValueOrDefault(key) / n2;
            var m = (p + q) / 2;
            divergence += RelativeEntropy(p, m) + RelativeEntropy(q, m);
        }

        return Math.Sqrt(divergence / 2);
    }

    private static double RelativeEntropy(double x, double y) => x > 0 && y > 0 ? x * Math.Log(x / y) : 0;
}
