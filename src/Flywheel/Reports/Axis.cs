using System.Globalization;

namespace Flywheel.Reports;

/// <summary>A mark on an axis: where it is, in data units, and what it says.</summary>
public readonly record struct Tick(double Value, string Label);

/// <summary>
/// One axis of a chart: its title (what is measured, in which unit), its range in data units and
/// its ticks. A linear axis gets round ticks (steps of 1, 2 or 5 times a power of ten) a reader can
/// interpolate between; a band axis gives each category an equal band, ticked at its middle.
/// </summary>
/// <param name="Bands">Whether the axis is categories, band i spanning [i, i + 1]: a vertical one then reads top to bottom, as a list does.</param>
public sealed record Axis(string Title, double Low, double High, IReadOnlyList<Tick> Ticks, bool Bands = false)
{
    /// <summary>An axis over [<paramref name="low"/>, <paramref name="high"/>], widened to the round ticks around them, with about <paramref name="count"/> steps.</summary>
    /// <param name="scale">What a tick's value is multiplied by when written (100 with a "%" <paramref name="suffix"/> writes shares as percentages).</param>
    public static Axis Linear(string title, double low, double high, double scale = 1, string suffix = "", int count = 5)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            (low, high) = (0, 1);
        }

        if (high <= low)
        {
            // One value (a constant prediction, a single bin): a unit-wide axis still places it.
            (low, high) = (low - 0.5, low + 0.5);
        }

        var step = RoundStep((high - low) / count);
        // Out to the ticks either side, so both ends of the axis are labelled.
        (low, high) = (Math.Floor((low / step) + 1e-9) * step, Math.Ceiling((high / step) - 1e-9) * step);
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step * scale) + 1e-9));
        var ticks = new List<Tick>();
        for (var i = Math.Ceiling((low / step) - 1e-9); i * step <= high + (step * 1e-9); i++)
        {
            // i * step is exact enough to place the tick; zero is written 0, never -0.
            var value = Math.Abs(i) < 0.5 ? 0 : i * step;
            ticks.Add(new Tick(value, (value * scale).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + suffix));
        }

        return new Axis(title, low, high, ticks);
    }

    /// <summary>One band per category, in order, each ticked with its name.</summary>
    public static Axis Categories(string title, IReadOnlyList<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        return new Axis(title, 0, Math.Max(1, categories.Count), [.. categories.Select((c, i) => new Tick(i + 0.5, c))], Bands: true);
    }

    /// <summary>1, 2 or 5 times a power of ten, the smallest at least <paramref name="raw"/>.</summary>
    private static double RoundStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }
}
