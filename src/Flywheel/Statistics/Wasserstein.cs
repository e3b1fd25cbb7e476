namespace Flywheel.Statistics;

/// <summary>
/// The first Wasserstein distance between two samples (scipy's wasserstein_distance: the area between
/// the empirical CDFs), and Evidently's normed form, divided by the reference's standard deviation
/// (population, ddof 0) so one threshold (0.1) fits every column's scale.
/// </summary>
public static class Wasserstein
{
    public static double Distance(double[] first, double[] second)
    {
        return DistanceSorted(Samples.SortedCopy(first), Samples.SortedCopy(second));
    }

    /// <summary>The distance between two samples already sorted ascending: one merge walk over both.</summary>
    public static double DistanceSorted(double[] a, double[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double distance = 0;
        int i = 0, j = 0;
        var previous = double.NaN;
        while (i < a.Length || j < b.Length)
        {
            // The next value of the merged order; the CDFs just left of it are i/|a| and j/|b|.
            var value = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            if (!double.IsNaN(previous))
            {
                distance += Math.Abs(((double)i / a.Length) - ((double)j / b.Length)) * (value - previous);
            }

            while (i < a.Length && a[i] <= value)
            {
                i++;
            }

            while (j < b.Length && b[j] <= value)
            {
                j++;
            }

            previous = value;
        }

        return distance;
    }

    /// <summary>Evidently's normed distance on samples already sorted ascending.</summary>
    public static double NormedSorted(double[] reference, double[] current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var mean = reference.Average();
        var std = Math.Sqrt(reference.Sum(v => (v - mean) * (v - mean)) / reference.Length);
        return DistanceSorted(reference, current) / std;
    }

    public static double Normed(double[] reference, double[] current)
    {
        return NormedSorted(Samples.SortedCopy(reference), Samples.SortedCopy(current));
    }
}
