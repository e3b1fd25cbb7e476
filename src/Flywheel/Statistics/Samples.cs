using Flywheel.Datasets.Columns;

namespace Flywheel.Statistics;

/// <summary>The two-sample statistics work on sorted samples; callers' arrays stay as they were.</summary>
internal static class Samples
{
    public static double[] SortedCopy(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = (double[])values.Clone();
        NumberOrder.Sort(sorted);
        return sorted;
    }
}
