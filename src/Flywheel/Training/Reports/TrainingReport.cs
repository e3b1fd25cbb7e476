using System.Globalization;
using System.Net;
using System.Text;
using Flywheel.Training.Evaluation;
using Flywheel.Training.Search;
using Flywheel.Training.Tracking;

namespace Flywheel.Training.Reports;

/// <summary>What the report shows besides the evaluation: the gate's verdict, what was done about it, and the leaderboard.</summary>
public sealed record TrainingReportContent(
    string PipelineId,
    TrainingPlan Plan,
    IReadOnlyList<TrialOutcome> Trials,
    int Version,
    IReadOnlyDictionary<string, double> TestMetrics,
    bool GatePassed,
    IReadOnlyList<string> GateReasons,
    IReadOnlyDictionary<string, double>? ChampionMetrics,
    string Promotion,
    string Reason,
    TrainingEvaluation Evaluation,
    IReadOnlyDictionary<string, double>? ComparedMetrics = null,
    int TestRows = 0,
    int? ComparedRows = null,
    string? ComparedBasis = null)
{
    /// <summary>Fewer test rows than this make the test metrics too noisy to trust; the report says so.</summary>
    public const int FewTestRows = 100;
}

/// <summary>
/// A training run's report as one self-contained HTML page (inline CSS and SVG, no script, no
/// external resource), readable from a file: the verdict, test metrics against the champion's, the
/// leaderboard of every trial, ROC and precision-recall curves (binary), the confusion matrix
/// (classification), predicted against actual (regression) and permutation importance.
/// </summary>
public static class TrainingReport
{
    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;

    public static string Render(TrainingReportContent report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plan = report.Plan;
        var request = plan.Request;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E($"Training {request.Model} v{report.Version}")).Append("</title><style>")
            .Append("body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;padding:0 1rem}")
            .Append("h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}")
            .Append(".muted{color:#59636e}.verdict{padding:.75rem 1rem;border-radius:6px;margin:1rem 0;font-weight:600}")
            .Append(".promoted{background:#dafbe1;border:1px solid #4ac26b}.held{background:#fff8c5;border:1px solid #d4a72c}")
            .Append("table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:.3rem .6rem;border-bottom:1px solid #eaeef2;text-align:left}")
            .Append("td.n,th.n{text-align:right}tr.best{background:#f0f7ff;font-weight:600}tr.failed{color:#9a6700}")
            .Append(".charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.25rem}svg text{font:11px system-ui,sans-serif;fill:#59636e}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E($"{request.Model} version {report.Version}")).Append("</h1><p class=\"muted\">")
            .Append(E($"Pipeline {report.PipelineId} · {plan.Task.ToString().ToLowerInvariant()} on {request.Dataset} v{plan.DatasetVersion} (sha256 {plan.Sha256[..12]}…), label '{request.Label}' · {plan.Features.Count} features · seed {request.Seed} · chosen on {plan.Metric}"))
            .Append("</p>");
        html.Append("<div class=\"verdict ").Append(report.Promotion == "promoted" ? "promoted" : "held").Append("\" id=\"verdict\">")
            .Append(E($"{report.Promotion}: {report.Reason}")).Append("</div>");

        var warnings = new List<string>();
        if (report.TestRows < TrainingReportContent.FewTestRows)
        {
            warnings.Add($"Only {report.TestRows:N0} test rows: test metrics this few rows give are noise more than measure (at least {TrainingReportContent.FewTestRows} are advised); use a larger dataset or a larger split.test.");
        }

        warnings.AddRange(plan.SkippedFeatures.Select(s => $"Column '{s.Key}' is not a feature: {s.Value}."));
        if (warnings.Count > 0)
        {
            html.Append("<ul id=\"warnings\">");
            foreach (var warning in warnings)
            {
                html.Append("<li>").Append(E(warning)).Append("</li>");
            }

            html.Append("</ul>");
        }

        var compared = report.ComparedRows is { } n && report.ChampionMetrics is not null;
        html.Append("<h2>Test metrics</h2><table id=\"metrics\"><tr><th>Metric</th><th class=\"n\">")
            .Append(E($"Candidate, {report.TestRows:N0} test rows")).Append("</th>");
        if (compared)
        {
            html.Append("<th class=\"n\">").Append(E($"Candidate, {report.ComparedRows:N0} compared rows")).Append("</th><th class=\"n\">")
                .Append(E($"Champion, {report.ComparedRows:N0} compared rows")).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var (name, value) in report.TestMetrics)
        {
            html.Append("<tr><td>").Append(E(name)).Append(name == plan.Metric ? " ★" : string.Empty).Append("</td><td class=\"n\">").Append(F(value)).Append("</td>");
            if (compared)
            {
                html.Append("<td class=\"n\">").Append(report.ComparedMetrics?.TryGetValue(name, out var mine) == true ? F(mine) : "—")
                    .Append("</td><td class=\"n\">").Append(report.ChampionMetrics!.TryGetValue(name, out var champion) ? F(champion) : "—").Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
        if (report.ComparedBasis is { } basis)
        {
            html.Append("<p id=\"compared-rows\">").Append(E($"Rows compared with the champion: {basis}.")).Append("</p>");
        }

        html.Append("<p>").Append(E($"Gate: {(report.GatePassed ? "passed" : "failed")}. {string.Join(" ", report.GateReasons)}")).Append("</p>");

        var best = TrialSearch.Best(plan, report.Trials);
        html.Append("<h2>Leaderboard</h2><table id=\"leaderboard\"><tr><th>#</th><th>Trial</th><th>Trainer</th><th>Rung</th><th>Parameters</th><th class=\"n\">")
            .Append(E($"Validation {plan.Metric}")).Append("</th><th class=\"n\">Fit ms</th><th>Status</th></tr>");
        var ranked = TrialSearch.Ranked(plan, report.Trials).Concat(report.Trials.Where(t => t.Status != RunStatus.Finished)).ToList();
        for (var i = 0; i < ranked.Count; i++)
        {
            var t = ranked[i];
            var css = t == best ? " class=\"best\"" : t.Status == RunStatus.Failed ? " class=\"failed\"" : string.Empty;
            html.Append("<tr").Append(css).Append("><td>").Append(i + 1).Append("</td><td>").Append(t.Trial).Append("</td><td>").Append(E(t.Spec.Trainer))
                .Append("</td><td>").Append(t.Rung).Append("</td><td>")
                .Append(E(t.Spec.Parameters.Count == 0 ? "defaults" : string.Join(", ", t.Spec.Parameters.Where(p => p.Key != "fullIterations").Select(p => $"{p.Key}={p.Value.ToString("G4", s_c)}"))))
                .Append("</td><td class=\"n\">").Append(t.Metrics.TryGetValue(plan.Metric, out var v) ? F(v) : "—").Append("</td><td class=\"n\">").Append(t.FitMs.ToString("N0", s_c))
                .Append("</td><td>").Append(E(t.Status == RunStatus.Failed ? $"FAILED: {t.Error}" : t.Status)).Append("</td></tr>");
        }

        html.Append("</table>");
        var evaluation = report.Evaluation;
        html.Append("<h2>Test rows</h2><div class=\"charts\">");
        if (evaluation.Roc is { } roc)
        {
            html.Append(Curve("ROC curve", "roc", roc, "false positive rate", "true positive rate", diagonal: true));
        }

        if (evaluation.PrecisionRecall is { } pr)
        {
            html.Append(Curve("Precision-recall curve", "pr", pr, "recall", "precision", diagonal: false));
        }

        if (evaluation.Residuals is { Count: > 0 } residuals)
        {
            html.Append(Scatter(residuals));
        }

        html.Append(Importance(evaluation.Importance)).Append("</div>");
        if (evaluation.Confusion is { } confusion && evaluation.Classes is { } classes)
        {
            html.Append(Confusion(confusion, classes));
        }

        return html.Append("</body></html>").ToString();
    }

    private static string Curve(string title, string id, IReadOnlyList<CurvePoint> points, string x, string y, bool diagonal)
    {
        const int size = 240, pad = 36;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure id=\"{id}\"><figcaption>{E(title)}</figcaption><svg width=\"{size + pad + 8}\" height=\"{size + pad + 8}\" viewBox=\"0 0 {size + pad + 8} {size + pad + 8}\" role=\"img\" aria-label=\"{E(title)}\">");
        svg.Append(Axes(size, pad, x, y));
        if (diagonal)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{pad}\" y1=\"{size + 4}\" x2=\"{pad + size}\" y2=\"4\" stroke=\"#d0d7de\" stroke-dasharray=\"4 3\"/>");
        }

        svg.Append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', points.Select(p => $"{(pad + (p.X * size)).ToString("0.#", s_c)},{(4 + ((1 - p.Y) * size)).ToString("0.#", s_c)}"))
            .Append("\"/></svg></figure>");
        return svg.ToString();
    }

    private static string Scatter(IReadOnlyList<CurvePoint> points)
    {
        const int size = 240, pad = 36;
        var low = points.Min(p => Math.Min(p.X, p.Y));
        var high = points.Max(p => Math.Max(p.X, p.Y));
        var span = high - low == 0 ? 1 : high - low;
        var svg = new StringBuilder("<figure id=\"residuals\"><figcaption>Predicted against actual</figcaption>");
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{size + pad + 8}\" height=\"{size + pad + 8}\" role=\"img\" aria-label=\"predicted against actual\">");
        svg.Append(Axes(size, pad, $"actual ({F(low)} – {F(high)})", "predicted"));
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{pad}\" y1=\"{size + 4}\" x2=\"{pad + size}\" y2=\"4\" stroke=\"#d0d7de\" stroke-dasharray=\"4 3\"/>");
        foreach (var p in points)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle r=\"2\" fill=\"#0969da\" fill-opacity=\".45\" cx=\"{(pad + ((p.X - low) / span * size)).ToString("0.#", s_c)}\" cy=\"{(4 + ((1 - ((p.Y - low) / span)) * size)).ToString("0.#", s_c)}\"/>");
        }

        return svg.Append("</svg></figure>").ToString();
    }

    private static string Importance(IReadOnlyDictionary<string, double> importance)
    {
        var rows = importance.OrderByDescending(i => i.Value).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
        const int width = 420, label = 150, bar = 18;
        var max = Math.Max(1e-12, rows.Select(r => Math.Abs(r.Value)).DefaultIfEmpty(0).Max());
        var svg = new StringBuilder("<figure id=\"importance\"><figcaption>Permutation importance (drop in the metric when shuffled)</figcaption>");
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{width}\" height=\"{(rows.Count * bar) + 8}\" role=\"img\" aria-label=\"feature importance\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var length = Math.Max(0, rows[i].Value) / max * (width - label - 70);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{label - 6}\" y=\"{(i * bar) + 13}\" text-anchor=\"end\">{E(rows[i].Key)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{label}\" y=\"{(i * bar) + 3}\" width=\"{length.ToString("0.#", s_c)}\" height=\"{bar - 6}\" fill=\"#0969da\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{(label + length + 4).ToString("0.#", s_c)}\" y=\"{(i * bar) + 13}\">{F(rows[i].Value)}</text>");
        }

        return svg.Append("</svg></figure>").ToString();
    }

    private static string Confusion(long[][] matrix, IReadOnlyList<string> classes)
    {
        var max = Math.Max(1, matrix.SelectMany(r => r).DefaultIfEmpty(0).Max());
        var html = new StringBuilder("<h2>Confusion matrix (rows: true class, columns: predicted)</h2><table id=\"confusion\"><tr><th></th>");
        foreach (var c in classes)
        {
            html.Append("<th class=\"n\">").Append(E(c)).Append("</th>");
        }

        html.Append("</tr>");
        for (var t = 0; t < matrix.Length; t++)
        {
            html.Append("<tr><th>").Append(E(classes[t])).Append("</th>");
            for (var p = 0; p < matrix[t].Length; p++)
            {
                var shade = (0.08 + (0.6 * matrix[t][p] / max)).ToString("0.##", s_c);
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"n\" style=\"background:rgba(9,105,218,{shade})\">{matrix[t][p]:N0}</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string Axes(int size, int pad, string x, string y) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<rect x=\"{pad}\" y=\"4\" width=\"{size}\" height=\"{size}\" fill=\"none\" stroke=\"#d0d7de\"/><text x=\"{pad + (size / 2)}\" y=\"{size + 28}\" text-anchor=\"middle\">{E(x)}</text><text transform=\"translate(12 {4 + (size / 2)}) rotate(-90)\" text-anchor=\"middle\">{E(y)}</text>");

    private static string F(double value) => value.ToString("0.######", s_c);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
