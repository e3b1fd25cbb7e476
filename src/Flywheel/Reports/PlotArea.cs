using System.Globalization;
using System.Net;
using System.Text;

namespace Flywheel.Reports;

/// <summary>
/// The plot area of an inline SVG chart: maps data to pixels and draws the frame with both axes,
/// their ticks, tick labels and titles, leaving room for the labels it will write. Every chart of
/// the reports is drawn on one, so they read alike; every text it writes is escaped.
/// </summary>
public sealed class PlotArea
{
    /// <summary>The longest tick label written whole; longer ones are cut with an ellipsis and keep their full text as a tooltip.</summary>
    public const int MaxLabelChars = 18;

    // Roughly the advance of one character at the reports' 11px sans-serif: room for tick labels without measuring text.
    private const double CharWidth = 6.2;
    private const int Top = 10, Right = 14, TickLength = 4, TitleSpace = 16;

    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;

    private readonly Axis _x;
    private readonly Axis _y;
    private readonly bool _slantX;
    private readonly int _left;
    private readonly int _bottom;

    /// <param name="width">The plot's own width in pixels, without the axes' margins.</param>
    /// <param name="height">The plot's own height in pixels.</param>
    /// <param name="slantX">Write the x tick labels at 40°, for category names too long to sit side by side.</param>
    public PlotArea(Axis x, Axis y, int width, int height, bool slantX = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        (_x, _y, Width, Height, _slantX) = (x, y, width, height, slantX);
        // A slanted label runs down and left from its tick: the first must not leave the picture.
        _left = Math.Max(TitleSpace + LabelWidth(y) + TickLength + 4, slantX ? (int)(0.77 * LabelWidth(x)) - 8 : 0);
        _bottom = (slantX ? (int)(0.65 * LabelWidth(x)) + 14 : 18) + TitleSpace;
    }

    public int Width { get; }

    public int Height { get; }

    public int OuterWidth => _left + Width + Right;

    public int OuterHeight => Top + Height + _bottom;

    /// <summary>The x pixel of a value on the x axis.</summary>
    public double X(double value) => _left + (Share(_x, value) * Width);

    /// <summary>The y pixel of a value on the y axis: up from the bottom, or down from the top for bands.</summary>
    public double Y(double value) => Top + ((_y.Bands ? Share(_y, value) : 1 - Share(_y, value)) * Height);

    /// <summary>Opens the <c>svg</c> element, sized to hold the plot and its axes.</summary>
    public string Open(string label) => string.Create(s_c,
        $"<svg width=\"{OuterWidth}\" height=\"{OuterHeight}\" viewBox=\"0 0 {OuterWidth} {OuterHeight}\" role=\"img\" aria-label=\"{E(label)}\">");

    /// <summary>The frame, each axis's ticks with their labels (<c>class="tick-x"</c>, <c>class="tick-y"</c>) and each axis's title (<c>class="axis-title"</c>).</summary>
    public string Axes()
    {
        var svg = new StringBuilder();
        var (left, top, bottom) = (_left, Top, Top + Height);
        svg.Append(string.Create(s_c, $"<rect x=\"{left}\" y=\"{top}\" width=\"{Width}\" height=\"{Height}\" fill=\"none\" stroke=\"#d0d7de\"/>"));
        foreach (var tick in _x.Ticks)
        {
            var x = X(tick.Value);
            svg.Append(string.Create(s_c, $"<line x1=\"{N(x)}\" y1=\"{bottom}\" x2=\"{N(x)}\" y2=\"{bottom + TickLength}\" stroke=\"#8c959f\"/>"));
            svg.Append(_slantX
                ? Write(x, bottom + TickLength + 8, tick.Label, $"class=\"tick-x\" text-anchor=\"end\" transform=\"rotate(-40 {N(x)} {bottom + TickLength + 8})\"", MaxLabelChars)
                : Write(x, bottom + TickLength + 11, tick.Label, "class=\"tick-x\" text-anchor=\"middle\"", MaxLabelChars));
        }

        foreach (var tick in _y.Ticks)
        {
            var y = Y(tick.Value);
            svg.Append(string.Create(s_c, $"<line x1=\"{left - TickLength}\" y1=\"{N(y)}\" x2=\"{left}\" y2=\"{N(y)}\" stroke=\"#8c959f\"/>"));
            svg.Append(Write(left - TickLength - 3, y + 3.5, tick.Label, "class=\"tick-y\" text-anchor=\"end\"", MaxLabelChars));
        }

        svg.Append(Text(left + (Width / 2.0), OuterHeight - 4, _x.Title, "class=\"axis-title\" text-anchor=\"middle\""));
        var middle = top + (Height / 2.0);
        svg.Append(Text(12, middle, _y.Title, $"class=\"axis-title\" text-anchor=\"middle\" transform=\"rotate(-90 12 {N(middle)})\""));
        return svg.ToString();
    }

    /// <summary>A <c>text</c> element at (<paramref name="x"/>, <paramref name="y"/>) with <paramref name="attributes"/> (written as they are: callers pass only their own constants), the text escaped.</summary>
    public static string Text(double x, double y, string text, string attributes = "") => Write(x, y, text, attributes, int.MaxValue);

    /// <summary>As <see cref="Text"/>, cut past <paramref name="maxChars"/> with the whole text kept as a tooltip.</summary>
    private static string Write(double x, double y, string text, string attributes, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > maxChars ? string.Concat(text.AsSpan(0, maxChars - 1), "…") : text;
        var tooltip = cut.Length == text.Length ? string.Empty : $"<title>{E(text)}</title>";
        return string.Create(s_c, $"<text x=\"{N(x)}\" y=\"{N(y)}\"{(attributes.Length == 0 ? string.Empty : " " + attributes)}>{tooltip}{E(cut)}</text>");
    }

    /// <summary>A pixel coordinate, to a tenth.</summary>
    public static string N(double pixel) => pixel.ToString("0.#", s_c);

    private static double Share(Axis axis, double value) => (value - axis.Low) / (axis.High - axis.Low);

    private static int LabelWidth(Axis axis) => (int)Math.Ceiling(axis.Ticks.Select(t => Math.Min(t.Label.Length, MaxLabelChars)).DefaultIfEmpty(1).Max() * CharWidth);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
