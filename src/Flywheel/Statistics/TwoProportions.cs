namespace Flywheel.Statistics;

/// <summary>
/// The one-sided two-proportion z-test with a pooled share: is the first group's rate of events (a candidate's
/// error rate) higher than the second's (the champion's)? z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)),
/// p = P(Z &gt; z). No events in either group is no evidence (z = 0, p = 1).
/// </summary>
public static class TwoProportions
{
    public static (double Statistic, double PValue) Greater(long events1, long trials1, long events2, long trials2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events1);
        ArgumentOutOfRangeException.ThrowIfNegative(events2);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials1, events1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials2, events2);
        if (trials1 == 0 || trials2 == 0)
        {
            return (double.NaN, double.NaN);
        }

        double n1 = trials1, n2 = trials2;
        var pooled = (events1 + events2) / (n1 + n2);
        if (pooled is 0 or 1)
        {
            return (0, 1);
        }

        var z = ((events1 / n1) - (events2 / n2)) / Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        return (z, Normal.Survival(z));
    }
}
