namespace Flywheel.Serving.Records;

/// <summary>
/// When a number that is not written as a plain integer (1e3, 3.0, 9223372036854775808) is a whole
/// number an integer input takes: one rule for JSON bodies, their fast paths and CSV cells, so a value
/// is refused alike whichever way it came.
/// </summary>
public static class WholeNumber
{
    /// <summary>
    /// Whether the number is whole and within [<paramref name="min"/>, <paramref name="max"/>].
    /// <paramref name="real"/> (the text as a double) says whether it is whole at all (1e-30 is not,
    /// though a decimal rounds it to 0); <paramref name="exact"/> (the text as a decimal, null when it
    /// does not fit one, so beyond any integer type) says exactly where it lies: as doubles,
    /// long.MaxValue + 1 and long.MinValue - 1 round onto the edges and were clamped to them.
    /// </summary>
    public static bool TryFrom(double real, decimal? exact, long min, long max, out long value)
    {
        var whole = real == Math.Floor(real) && exact is { } number && number == decimal.Truncate(number) && number >= min && number <= max;
        value = whole ? (long)exact!.Value : 0;
        return whole;
    }
}
