namespace Flywheel.Statistics;

/// <summary>
/// The gamma-function pieces the drift tests' p-values need: log-gamma (Lanczos, as in Numerical
/// Recipes 3rd ed., double precision), the regularized upper incomplete gamma Q(a, x) (series below
/// a + 1, Lentz's continued fraction above), and from it the chi-square survival function and erfc.
/// </summary>
public static class Gamma
{
    private static readonly double[] s_lanczos =
    [
        57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199, .339946499848118887e-4,
        .465236289270485756e-4, -.983744753048795646e-4, .158088703224912494e-3, -.210264441724104883e-3, .217439618115212643e-3,
        -.164318106536763890e-3, .844182239838527433e-4, -.261908384015814087e-4, .368991826595316234e-5,
    ];

    public static double LogGamma(double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(x);
        var y = x;
        var tmp = x + 5.24218750000000000;
        tmp = ((x + 0.5) * Math.Log(tmp)) - tmp;
        var series = 0.999999999999997092;
        foreach (var c in s_lanczos)
        {
            series += c / ++y;
        }

        return tmp + Math.Log(2.5066282746310005 * series / x);
    }

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a), for a &gt; 0, x ≥ 0.</summary>
    public static double UpperRegularized(double a, double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        var logPrefix = -x + (a * Math.Log(x)) - LogGamma(a);
        if (x < a + 1)
        {
            double sum = 1 / a, term = sum;
            for (var n = 1; n < 100_000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-17)
                {
                    break;
                }
            }

            return Math.Max(0, 1 - (sum * Math.Exp(logPrefix)));
        }

        // Lentz's method for the continued fraction of Γ(a, x).
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (var i = 1; i < 100_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-17)
            {
                break;
            }
        }

        return Math.Exp(logPrefix) * h;
    }

    /// <summary>P(χ²(k) &gt; x), scipy's chi2.sf.</summary>
    public static double ChiSquareSurvival(double x, int degreesOfFreedom) =>
        degreesOfFreedom <= 0 ? double.NaN : double.IsNaN(x) ? double.NaN : UpperRegularized(degreesOfFreedom / 2.0, x / 2);

    /// <summary>erfc(x) for x ≥ 0, as Q(1/2, x²).</summary>
    public static double Erfc(double x) => x < 0 ? 2 - Erfc(-x) : UpperRegularized(0.5, x * x);
}
