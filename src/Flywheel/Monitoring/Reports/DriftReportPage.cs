using System.Globalization;
using System.Net;
using System.Text;
using Flywheel.Contracts;
using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Drift;
using Flywheel.Reports;

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

    public static string Render(DriftReport report, string title) => Page(report, title, [], null, null);

    /// <summary>A model monitoring report: the input drift page with the prediction's columns pinned on top, then data quality and performance.</summary>
    public static string Render(ModelMonitoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var verdict = report.Verdict switch
        {
            DriftVerdict.Drift => $"Verdict: drift. Inputs: {report.Inputs.DriftedColumns} of {report.Inputs.Columns} columns drifted; prediction: {(report.Prediction.Any(p => p.Drifted) ? "drifted" : "stable")}.",
            DriftVerdict.NoDrift => $"Verdict: no drift. Inputs: {report.Inputs.DriftedColumns} of {report.Inputs.Columns} columns drifted; prediction: stable.",
            _ => "Verdict: not enough data.",
        };
        return Page(report.Inputs, $"Monitoring of {report.Model} v{report.Version} ({WireNames.Of(report.Trigger)}, report {report.Id})", report.Prediction, verdict, Sections(report));
    }

    private static string Page(DriftReport report, string title, IReadOnlyList<ColumnDrift> pinned, string? verdict, string? sections)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>").Append(PageLook.Css)
            .Append(".drift{background:#ffebe9;border:1px solid #ff8182}.stable{background:#dafbe1;border:1px solid #4ac26b}")
            .Append(".counters{display:flex;gap:1rem}.counter{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem}.counter b{display:block;font-size:1.4rem}")
            .Append("table{width:100%}th,td{vertical-align:middle}")
            .Append("td.n{text-align:right}tr.pinned td{background:#f6f8fa;font-weight:600}.yes{color:#d1242f;font-weight:600}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}")
            .Append(".columns{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600}svg text{font:10px system-ui,sans-serif;fill:#59636e}")
            .Append("</style></head><body>").Append(PageLook.ConsoleLink);
        html.Append("<h1>").Append(E(title)).Append("</h1><p class=\"muted\">")
            .Append(E($"Reference: {Side(report.Reference)} · current: {Side(report.Current)}"))
            .Append("</p>");
        if (report.Note is { } note)
        {
            html.Append("<p id=\"note\">").Append(E(note)).Append("</p>");
        }

        if (verdict is not null)
        {
            html.Append("<p id=\"model-verdict\"><b>").Append(E(verdict)).Append("</b></p>");
        }

        html.Append("<div id=\"verdict\" class=\"verdict ").Append(report.DatasetDrift ? "drift" : "stable").Append("\">")
            .Append(E(report.DatasetDrift
                ? $"Drift detected: {report.DriftedColumns} of {report.Columns} columns drifted ({report.Share:P0}, threshold {report.ShareThreshold:P0})."
                : $"No dataset drift: {report.DriftedColumns} of {report.Columns} columns drifted ({report.Share:P0}, threshold {report.ShareThreshold:P0}).")).Append("</div>");
        html.Append("<div class=\"counters\"><div class=\"counter\"><b>").Append(report.Columns).Append("</b>columns</div><div class=\"counter\"><b>")
            .Append(report.DriftedColumns).Append("</b>drifted</div><div class=\"counter\"><b>").Append(report.Share.ToString("P1", s_c)).Append("</b>share</div></div>");
        html.Append("<p class=\"legend\"><span style=\"background:").Append(ReferenceColor).Append("\"></span>reference<span style=\"background:").Append(CurrentColor).Append("\"></span>current</p>");
        html.Append("<table id=\"columns\"><tr><th>Column</th><th>Type</th><th>Method</th><th>Threshold</th><th class=\"n\">Score</th><th>Drift</th><th>Reference</th><th>Current</th></tr>");
        foreach (var column in pinned.Concat(report.ColumnResults))
        {
            html.Append("<tr data-column=\"").Append(E(column.Column)).Append(pinned.Contains(column) ? "\" class=\"pinned\"><td>" : "\"><td>").Append(E(column.Column)).Append("</td><td>").Append(E(column.Type)).Append("</td><td>")
                .Append(E(column.Method)).Append("</td><td>").Append(column.Threshold.ToString("G4", s_c)).Append("</td><td class=\"n\">").Append(column.Score.ToString("F6", s_c))
                .Append("</td><td").Append(column.Drifted ? " class=\"yes\">detected" : ">not detected").Append("</td><td>").Append(Sparkline(column.Histogram.Reference, ReferenceColor))
                .Append("</td><td>").Append(Sparkline(column.Histogram.Current, CurrentColor)).Append("</td></tr>");
        }

        html.Append("</table>");
        if (report.Skipped.Count > 0)
        {
            html.Append("<p class=\"muted\">Not compared: ").Append(E(string.Join("; ", report.Skipped.Select(s => $"{s.Key} ({s.Value})")))).Append("</p>");
        }

        html.Append(sections);
        html.Append("<h2>Distributions</h2><div class=\"columns\">");
        foreach (var column in pinned.Concat(report.ColumnResults))
        {
            html.Append(Overlay(column));
        }

        return html.Append("</div></body></html>").ToString();
    }

    private static string Sections(ModelMonitoringReport report)
    {
        var html = new StringBuilder("<h2>Data quality</h2><table id=\"quality\"><tr><th>Column</th><th class=\"n\">Missing (reference)</th><th class=\"n\">Missing (current)</th><th class=\"n\">Out of range</th><th class=\"n\">Unseen categories</th><th class=\"n\">Type errors</th><th>Issues</th></tr>");
        foreach (var q in report.Quality.OrderByDescending(q => q.Issues.Count).ThenBy(q => q.Column, StringComparer.Ordinal))
        {
            html.Append("<tr data-column=\"").Append(E(q.Column)).Append("\"><td>").Append(E(q.Column)).Append("</td><td class=\"n\">").Append(q.ReferenceMissingRate.ToString("P1", s_c))
                .Append("</td><td class=\"n\">").Append(q.CurrentMissingRate.ToString("P1", s_c)).Append("</td><td class=\"n\">").Append(q.OutOfRangeRate?.ToString("P1", s_c) ?? "—")
                .Append("</td><td class=\"n\">").Append(q.UnseenRate?.ToString("P1", s_c) ?? "—").Append("</td><td class=\"n\">").Append(q.TypeErrors.ToString("N0", s_c))
                .Append("</td><td").Append(q.Issues.Count > 0 ? " class=\"yes\">" : ">").Append(E(q.Issues.Count == 0 ? "none" : string.Join("; ", q.Issues))).Append("</td></tr>");
        }

        html.Append("</table><h2>Performance</h2>");
        if (report.Performance is { } performance)
        {
            html.Append("<table id=\"performance\"><tr><th>Metric</th><th class=\"n\">Window (").Append(performance.Rows.ToString("N0", s_c)).Append(" rows with feedback)</th><th class=\"n\">Registered (test)</th></tr>");
            foreach (var (metric, value) in performance.Metrics)
            {
                html.Append("<tr><td>").Append(E(metric)).Append("</td><td class=\"n\">").Append(value.ToString("F6", s_c)).Append("</td><td class=\"n\">")
                    .Append(performance.Registered.TryGetValue(metric, out var registered) ? registered.ToString("F6", s_c) : "—").Append("</td></tr>");
            }

            html.Append("</table>");
        }
        else
        {
            html.Append("<p class=\"muted\">No feedback joined to the window's predictions yet.</p>");
        }

        if (report.Estimate is { } estimate)
        {
            html.Append("<p id=\"estimate\">Estimated without labels (").Append(E(estimate.Method.ToUpperInvariant())).Append(", ").Append(estimate.Rows.ToString("N0", s_c)).Append(" answers): accuracy ")
                .Append(estimate.Accuracy.ToString("F4", s_c)).Append(estimate.Auc is { } auc ? ", ROC AUC " + auc.ToString("F4", s_c) : string.Empty).Append(". ").Append(E(estimate.Note)).Append("</p>");
        }

        foreach (var note in report.Notes)
        {
            html.Append("<p class=\"muted\">").Append(E(note)).Append("</p>");
        }

        return html.ToString();
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

    /// <summary>
    /// Both sides' shares side by side per bin or category, over axes that say what they are: share
    /// of rows (%) up, and along the bottom each category's name, or a numerical column's scale at
    /// every few bin starts.
    /// </summary>
    private static string Overlay(ColumnDrift column)
    {
        const int width = 300, height = 110;
        var histogram = column.Histogram;
        var count = histogram.Labels.Count;
        var max = Math.Max(1e-12, histogram.Reference.Concat(histogram.Current).DefaultIfEmpty(0).Max());
        var slot = (double)width / Math.Max(1, count);
        var x = histogram.Categorical
            ? Axis.Categories($"{column.Column} (category)", histogram.Labels)
            : new Axis($"{column.Column} (value where a bin starts)", 0, Math.Max(1, count), [.. histogram.Labels.Select((l, i) => new Tick(i, l)).Where((_, i) => i % BinsPerTick == 0)]);
        // Names that would overrun their bar's slot side by side are slanted.
        var slant = histogram.Categorical && histogram.Labels.Any(l => (Math.Min(l.Length, PlotArea.MaxLabelChars) * 6.2) > slot - 4);
        var plot = new PlotArea(x, Axis.Linear("share of rows", 0, max, scale: 100, suffix: "%", count: 4), width, height, slant);
        var svg = new StringBuilder("<figure data-column=\"").Append(E(column.Column)).Append("\"><figcaption>").Append(E($"{column.Column} · {column.Method} {column.Score.ToString("F6", s_c)}"))
            .Append("</figcaption>").Append(plot.Open($"{column.Column} distributions")).Append(plot.Axes());
        for (var i = 0; i < count; i++)
        {
            svg.Append(Bar(plot, i, 0, histogram.Reference[i], ReferenceColor, "reference", histogram.Labels[i]))
                .Append(Bar(plot, i, 0.5, histogram.Current[i], CurrentColor, "current", histogram.Labels[i]));
        }

        return svg.Append("</svg></figure>").ToString();
    }

    // Twenty bins ticked every fifth: a scale to read, not twenty numbers on top of each other.
    private const int BinsPerTick = 5;

    /// <summary>One side's bar in bin or category <paramref name="index"/>, in the half of its slot at <paramref name="offset"/>, with its share as a tooltip.</summary>
    private static string Bar(PlotArea plot, int index, double offset, double share, string color, string side, string label)
    {
        var (left, right, top) = (plot.X(index + offset), plot.X(index + offset + 0.5), plot.Y(share));
        return string.Create(s_c, $"<rect x=\"{PlotArea.N(left)}\" y=\"{PlotArea.N(top)}\" width=\"{PlotArea.N(Math.Max(1, right - left - 1))}\" height=\"{PlotArea.N(plot.Y(0) - top)}\" fill=\"{color}\" fill-opacity=\".8\"><title>{E($"{label}, {side}: {(share * 100).ToString("0.0", s_c)}%")}</title></rect>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
