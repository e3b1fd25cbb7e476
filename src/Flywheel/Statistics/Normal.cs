namespace Flywheel.Statistics;

/// <summary>The standard normal distribution's tail, from the complementary error function.</summary>
public static class Normal
{
    /// <summary>P(Z &gt; z) for a standard normal Z.</summary>
    public static double Survival(double z) => 0.5 * Gamma.Erfc(z / Math.Sqrt(2));
}
