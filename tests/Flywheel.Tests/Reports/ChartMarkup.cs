using System.Net;
using System.Text.RegularExpressions;

namespace Flywheel.Tests.Reports;

/// <summary>Reads back what a report page's charts say: one figure's markup, its axes' tick labels, its axis titles.</summary>
internal static partial class ChartMarkup
{
    /// <summary>The figure whose opening tag has <paramref name="attribute"/> (such as <c>id="roc"</c>), up to its end.</summary>
    public static string Figure(string html, string attribute)
    {
        var start = html.IndexOf($"<figure {attribute}>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no figure with {attribute}");
        return html[start..(html.IndexOf("</figure>", start, StringComparison.Ordinal) + "</figure>".Length)];
    }

    /// <summary>The tick labels of axis <paramref name="axis"/> ("x" or "y") in order, unescaped and whole (a cut label's tooltip).</summary>
    public static IReadOnlyList<string> Ticks(string figure, string axis) =>
        [.. TickText().Matches(figure).Where(m => m.Groups["axis"].Value == axis)
            .Select(m => WebUtility.HtmlDecode(m.Groups["whole"].Success ? m.Groups["whole"].Value : m.Groups["shown"].Value))];

    public static IReadOnlyList<string> AxisTitles(string figure) =>
        [.. AxisTitle().Matches(figure).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("<text [^>]*class=\"tick-(?<axis>[xy])\"[^>]*>(?:<title>(?<whole>[^<]*)</title>)?(?<shown>[^<]*)</text>")]
    private static partial Regex TickText();

    [GeneratedRegex("<text [^>]*class=\"axis-title\"[^>]*>([^<]*)</text>")]
    private static partial Regex AxisTitle();
}
