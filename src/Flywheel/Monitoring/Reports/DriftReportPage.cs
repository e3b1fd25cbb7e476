using System.Globalization;
using System.Net;
using System.Text;
using Flywheel.Monitoring.Drift;

namespace Flywheel.Monitoring.Reports;

/// <summary>
/// A drift report as one self-contained HTML page (inline CSS and SVG, no script, no external
/// resource), laid out as Evidently's: the verdict, counters (columns, drifted, share), a table of
/// columns most drifted first (type, method, threshold, score to 6 decimals, verdict, reference and
/// current sparklines), then each column's reference and current distributions overlaid.
/// </summary>
public static class DriftReportPage
{
    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;
    private const string ReferenceColor = "#0969da";
    private const string CurrentColor = "#d1242f";

    public static string Render(DriftReport report, string title)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;padding:0 1rem}h1{font-size:1.5rem;margin:0 0 .25rem}")
            .Append("h2{font-size:1.1rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}.muted{color:#59636e}")
            .Append(".verdict{padding:.75rem 1rem;border-radius:6px;margin:1rem 0;font-weight:600}.drift{background:#ffebe9;border:1px solid #ff8182}.stable{background:#dafbe1;border:1px solid #4ac26b}")
            .Append(".counters{display:flex;gap:1rem}.counter{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem}.counter b{display:block;font-size:1.4rem}")
            .Append("table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:.3rem .6rem;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:middle}")
            .Append("td.n{text-align:right}.yes{color:#d1242f;font-weight:600}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}")
            .Append(".columns{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600}svg text{font:10px system-ui,sans-serif;fill:#59636e}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append("</h1><p class=\"muted\">")
            .Append(E($"Reference: {Side(report.Reference)} · current: {Side(report.Current)}"))
            .Append("</p>");
        if (report.Note is { } note)
        {
            html.Append("<p id=\"note\">").Append(E(note)).Append("</p>");
        }

        html.Append("<div id=\"verdict\" class=\"verdict ").Append(report.DatasetDrift ? "drift" : "stable").Append("\">")
            .Append(E(report.DatasetDrift
                ? $"Drift detected: {report.DriftedColumns} of {report.Columns} columns drifted ({report.Share:P0}, threshold {report.ShareThreshold:P0})."
                : $"No dataset drift: {report.DriftedColumns} of {report.Columns} columns drifted ({report.Share:P0}, threshold {report.ShareThreshold:P0}).")).Append("</div>");
        html.Append("<div class=\"counters\"><div class=\"counter\"><b>").Append(report.Columns).Append("</b>columns</div><div class=\"counter\"><b>")
            .Append(report.DriftedColumns).Append("</b>drifted</div><div class=\"counter\"><b>").Append(report.Share.ToString("P1", s_c)).Append("</b>share</div></div>");
        html.Append("<p class=\"legend\"><span style=\"background:").Append(ReferenceColor).Append("\"></span>reference<span style=\"background:").Append(CurrentColor).Append("\"></span>current</p>");
        html.Append("<table id=\"columns\"><tr><th>Column</th><th>Type</th><th>Method</th><th>Threshold</th><th class=\"n\">Score</th><th>Drift</th><th>Reference</th><th>Current</th></tr>");
        foreach (var column in report.ColumnResults)
        {
            html.Append("<tr data-column=\"").Append(E(column.Column)).Append("\"><td>").Append(E(column.Column)).Append("</td><td>").Append(E(column.Type)).Append("</td><td>")
                .Append(E(column.Method)).Append("</td><td>").Append(column.Threshold.ToString("G4", s_c)).Append("</td><td class=\"n\">").Append(column.Score.ToString("F6", s_c))
                .Append("</td><td").Append(column.Drifted ? " class=\"yes\">detected" : ">not detected").Append("</td><td>").Append(Sparkline(column.Histogram.Reference, ReferenceColor))
                .Append("</td><td>").Append(Sparkline(column.Histogram.Current, CurrentColor)).Append("</td></tr>");
        }

        html.Append("</table>");
        if (report.Skipped.Count > 0)
        {
            html.Append("<p class=\"muted\">Not compared: ").Append(E(string.Join("; ", report.Skipped.Select(s => $"{s.Key} ({s.Value})")))).Append("</p>");
        }

        html.Append("<h2>Distributions</h2><div class=\"columns\">");
        foreach (var column in report.ColumnResults)
        {
            html.Append(Overlay(column));
        }

        return html.Append("</div></body></html>").ToString();
    }

    private static string Side(DriftSide side) => side.From is { } from
        ? $"{side.Name} v{side.Version} predictions {from:u} to {side.To:u} ({side.Rows:N0} rows)"
        : $"{side.Name} v{side.Version} ({side.Rows:N0} rows)";

    private static string Sparkline(IReadOnlyList<double> shares, string color)
    {
        const int width = 80, height = 20;
        var max = Math.Max(1e-12, shares.DefaultIfEmpty(0).Max());
        var bar = (double)width / Math.Max(1, shares.Count);
        var svg = new StringBuilder(string.Create(s_c, $"<svg width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"sparkline\">"));
        for (var i = 0; i < shares.Count; i++)
        {
            var h = shares[i] / max * height;
            svg.Append(string.Create(s_c, $"<rect x=\"{(i * bar):0.#}\" y=\"{(height - h):0.#}\" width=\"{Math.Max(1, bar - 1):0.#}\" height=\"{h:0.#}\" fill=\"{color}\"/>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Overlay(ColumnDrift column)
    {
        const int width = 320, height = 120, bottom = 24;
        var histogram = column.Histogram;
        var count = histogram.Labels.Count;
        var max = Math.Max(1e-12, histogram.Reference.Concat(histogram.Current).DefaultIfEmpty(0).Max());
        var slot = (double)width / Math.Max(1, count);
        var svg = new StringBuilder("<figure data-column=\"").Append(E(column.Column)).Append("\"><figcaption>").Append(E($"{column.Column} · {column.Method} {column.Score.ToString("F6", s_c)}"))
            .Append("</figcaption>").Append(string.Create(s_c, $"<svg width=\"{width}\" height=\"{height + bottom}\" role=\"img\" aria-label=\"{E(column.Column)} distributions\">"));
        for (var i = 0; i < count; i++)
        {
            var r = histogram.Reference[i] / max * height;
            var c = histogram.Current[i] / max * height;
            svg.Append(string.Create(s_c, $"<rect x=\"{(i * slot):0.#}\" y=\"{(height - r):0.#}\" width=\"{Math.Max(1, (slot / 2) - 1):0.#}\" height=\"{r:0.#}\" fill=\"{ReferenceColor}\" fill-opacity=\".8\"/>"))
                .Append(string.Create(s_c, $"<rect x=\"{((i * slot) + (slot / 2)):0.#}\" y=\"{(height - c):0.#}\" width=\"{Math.Max(1, (slot / 2) - 1):0.#}\" height=\"{c:0.#}\" fill=\"{CurrentColor}\" fill-opacity=\".8\"/>"));
        }

        svg.Append(string.Create(s_c, $"<text x=\"0\" y=\"{height + 14}\">{E(histogram.Labels[0])}</text><text x=\"{width}\" y=\"{height + 14}\" text-anchor=\"end\">{E(histogram.Labels[^1])}</text>"));
        return svg.Append("</svg></figure>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
