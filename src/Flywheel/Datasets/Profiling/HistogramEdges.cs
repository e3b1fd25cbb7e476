namespace Flywheel.Datasets.Profiling;

/// <summary>Bin edges for numeric histograms, chosen once at ingest and stored so later comparisons bin the same way.</summary>
public static class HistogramEdges
{
    public static IReadOnlyList<double> For(double min, double max, bool integer, int bins)
    {
        if (!(max > min))
        {
            return [min, min + 1];
        }

        if (integer && max - min + 1 <= bins * 2)
        {
            // One bin per integer value, edges halfway between them.
            var edges = new double[(int)(max - min) + 2];
            for (var i = 0; i < edges.Length; i++)
            {
                edges[i] = min - 0.5 + i;
            }

            return edges;
        }

        var width = (max - min) / bins;
        var result = new double[bins + 1];
        for (var i = 0; i <= bins; i++)
        {
            result[i] = min + (width * i);
        }

        result[bins] = max;
        return result;
    }

    /// <summary>The bin a value falls in; values outside the edges go to the first or last bin.</summary>
    public static int BinOf(IReadOnlyList<double> edges, double value)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var last = edges.Count - 2;
        for (var i = 0; i < last; i++)
        {
            if (value < edges[i + 1])
            {
                return i;
            }
        }

        return last;
    }
}
