namespace Flywheel.Statistics;

/// <summary>
/// The Mann-Whitney U test on two samples given as counts over the same ordered buckets (a latency histogram:
/// every value in a bucket ties with the others there). Kayenta judges a canary metric this way: is the
/// candidate's distribution shifted against the baseline's over the same interval? The statistic and p-value are
/// scipy's <c>mannwhitneyu(x, y, method="asymptotic")</c>: midranks per bucket, the tie-corrected normal
/// approximation with the 0.5 continuity correction.
/// </summary>
public static class MannWhitneyU
{
    /// <summary>Which shift the test looks for.</summary>
    public enum Alternative
    {
        /// <summary>Either sample tends to larger values.</summary>
        TwoSided,

        /// <summary>The first sample tends to larger values (a candidate slower than the baseline).</summary>
        Greater,

        /// <summary>The first sample tends to smaller values.</summary>
        Less,
    }

    /// <summary>U of <paramref name="first"/> (scipy's U1) and the p-value; NaN p when either sample is empty or every value ties.</summary>
    public static (double U, double PValue) Test(IReadOnlyList<long> first, IReadOnlyList<long> second, Alternative alternative = Alternative.TwoSided)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException("Both samples must be counted over the same buckets.", nameof(second));
        }

        double n1 = 0, n2 = 0;
        for (var i = 0; i < first.Count; i++)
        {
            n1 += first[i];
            n2 += second[i];
        }

        if (n1 == 0 || n2 == 0)
        {
            return (double.NaN, double.NaN);
        }

        // Each bucket's values share the midrank of the ranks they span; R1 sums the first sample's ranks.
        double below = 0, rankSum = 0, tieTerm = 0;
        for (var i = 0; i < first.Count; i++)
        {
            double t = first[i] + second[i];
            if (t == 0)
            {
                continue;
            }

            var midrank = below + ((t + 1) / 2);
            rankSum += first[i] * midrank;
            tieTerm += (t * t * t) - t;
            below += t;
        }

        var u1 = rankSum - (n1 * (n1 + 1) / 2);
        var u2 = (n1 * n2) - u1;
        var n = n1 + n2;
        var sigma = Math.Sqrt(n1 * n2 / 12 * (n + 1 - (tieTerm / (n * (n - 1)))));
        if (sigma == 0 || double.IsNaN(sigma))
        {
            return (u1, double.NaN);
        }

        var (u, factor) = alternative switch
        {
            Alternative.Greater => (u1, 1.0),
            Alternative.Less => (u2, 1.0),
            _ => (Math.Max(u1, u2), 2.0),
        };
        var z = (u - (n1 * n2 / 2) - 0.5) / sigma;
        return (u1, Math.Clamp(factor * Normal.Survival(z), 0, 1));
    }
}
