namespace Flywheel.Statistics;

/// <summary>
/// Evidently's chi-square drift test: the current window's count of each category (the union of both
/// samples' categories) against the reference's counts scaled to the window's size; scipy's
/// chisquare statistic and its chi2 survival p-value with k - 1 degrees of freedom. A category the
/// reference never had expects 0 rows, so its statistic is infinite and p is 0.
/// </summary>
public static class ChiSquare
{
    public static (double Statistic, double PValue) Test(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        double referenceRows = reference.Values.Sum(), currentRows = current.Values.Sum();
        var keys = reference.Keys.Union(current.Keys).ToList();
        var scale = currentRows / referenceRows;
        var statistic = 0.0;
        foreach (var key in keys)
        {
            var observed = (double)current.GetValueOrDefault(key);
            var expected = reference.GetValueOrDefault(key) * scale;
            statistic += expected == 0 ? double.PositiveInfinity : (observed - expected) * (observed - expected) / expected;
        }

        return (statistic, double.IsPositiveInfinity(statistic) ? 0 : Gamma.ChiSquareSurvival(statistic, keys.Count - 1));
    }
}
