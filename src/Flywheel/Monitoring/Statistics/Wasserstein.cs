namespace Flywheel.Monitoring.Statistics;

/// <summary>
/// The first Wasserstein distance between two samples (scipy's wasserstein_distance: the area between
/// the empirical CDFs), and Evidently's normed form, divided by the reference's standard deviation
/// (population, ddof 0) so one threshold (0.1) fits every column's scale.
/// </summary>
public static class Wasserstein
{
    public static double Distance(double[] first, double[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var a = (double[])first.Clone();
        var b = (double[])second.Clone();
        Array.Sort(a);
        Array.Sort(b);
        var all = new double[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        Array.Sort(all);
        double distance = 0;
        int i = 0, j = 0;
        for (var k = 0; k < all.Length - 1; k++)
        {
            // CDFs just right of all[k]: the share of each sample <= all[k].
            while (i < a.Length && a[i] <= all[k])
            {
                i++;
            }

            while (j < b.Length && b[j] <= all[k])
            {
                j++;
            }

            distance += Math.Abs(((double)i / a.Length) - ((double)j / b.Length)) * (all[k + 1] - all[k]);
        }

        return distance;
    }

    public static double Normed(double[] reference, double[] current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var mean = reference.Average();
        var std = Math.Sqrt(reference.Sum(v => (v - mean) * (v - mean)) / reference.Length);
        return Distance(reference, current) / std;
    }
}
