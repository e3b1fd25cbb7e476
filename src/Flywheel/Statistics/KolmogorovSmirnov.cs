namespace Flywheel.Statistics;

/// <summary>
/// The two-sample Kolmogorov-Smirnov test, two-sided, with scipy's exact p-value (ks_2samp,
/// method='exact'): D is the largest gap between the two empirical CDFs (ties handled by evaluating
/// both at every observed value), rounded to the lattice of h / lcm(n1, n2), and the p-value is the
/// share of lattice paths that leave the band |x/n1 - y/n2| &lt; D (Hodges; computed as 1 - p
/// directly, Viehmann 2021, so small p-values keep their precision). scipy's 'auto' uses this up to
/// 10,000 rows per sample and an asymptotic distribution above; Flywheel stays exact.
/// </summary>
public static class KolmogorovSmirnov
{
    public static (double Statistic, double PValue) TwoSample(double[] first, double[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Length == 0 || second.Length == 0)
        {
            throw new ArgumentException("Both samples need values.");
        }

        return TwoSampleSorted(Samples.SortedCopy(first), Samples.SortedCopy(second));
    }

    /// <summary>The test on samples already sorted ascending.</summary>
    public static (double Statistic, double PValue) TwoSampleSorted(double[] a, double[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        long n1 = a.Length, n2 = b.Length;
        // Walk the merged values; at each distinct value both CDFs count every value <= it.
        double maxS = 0, minS = 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var value = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= value)
            {
                i++;
            }

            while (j < b.Length && b[j] <= value)
            {
                j++;
            }

            var difference = ((double)i / n1) - ((double)j / n2);
            maxS = Math.Max(maxS, difference);
            minS = Math.Max(minS, -difference);
        }

        var d = Math.Clamp(Math.Max(minS, maxS), 0, 1);
        var g = Gcd(n1, n2);
        var lcm = n1 / g * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        d = (double)h / lcm;
        if (h == 0)
        {
            return (d, 1);
        }

        var p = n1 == n2 ? OutsideSquare(n1, h) : OutsideBand(n1, n2, g, h);
        return (d, Math.Clamp(p, 0, 1));
    }

    /// <summary>Equal sample sizes: the share of paths crossing x - y = ±h (a closed alternating sum).</summary>
    private static double OutsideSquare(long n, long h)
    {
        var p = 0.0;
        for (var k = n / h; k >= 0; k--)
        {
            var term = 1.0;
            for (long j = 0; j < h; j++)
            {
                term = (n - (k * h) - j) * term / (n + (k * h) + j + 1);
            }

            p = term * (1.0 - p);
        }

        return 2 * p;
    }

    /// <summary>
    /// Unequal sizes: 1 - (paths from (0,0) to (m,n) staying strictly inside the band) / C(m+n, n),
    /// one column of the lattice at a time, each entry already the complement's share.
    /// </summary>
    private static double OutsideBand(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        long minj = 0;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var length = maxj - minj;
        var column = new double[Math.Min((2 * maxj) + 2, n + 1)];
        Array.Fill(column, 1.0);
        Array.Fill(column, 0.0, 0, (int)maxj);
        for (long i = 1; i <= m; i++)
        {
            var lastMinj = minj;
            var lastLength = length;
            minj = Math.Min(Math.Max((long)Math.Floor((double)((ng * i) - h) / mg) + 1, 0), n);
            maxj = Math.Min((long)Math.Ceiling((double)((ng * i) + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var value = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                value = ((column[jj + minj - lastMinj] * i) + (value * j)) / (i + j);
                column[jj] = value;
            }

            length = maxj - minj;
            if (lastLength > length)
            {
                // Carried-over entries beyond the new window go back to "outside" (bounded by the column, as a slice would be).
                var start = (int)(maxj - minj);
                Array.Fill(column, 1.0, start, (int)Math.Min(lastLength - length, column.Length - start));
            }
        }

        return column[maxj - minj - 1];
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
