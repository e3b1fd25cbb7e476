using System.Globalization;
using System.Net;
using System.Text;
using Flywheel.Contracts;
using Flywheel.Contracts.Training;
using Flywheel.Reports;
using Flywheel.Training.Evaluation;
using Flywheel.Training.Search;

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
    PromotionOutcome Promotion,
    string Reason,
    TrainingEvaluation Evaluation,
    IReadOnlyDictionary<string, double>? ComparedMetrics = null,
    int TestRows = 0,
    int? ComparedRows = null,
    string? ComparedBasis = null)
{
    /// <summary>Fewer test rows than this make the test metrics too noisy to trust; the report says so.</summary>
    public const int FewTestRows = 100;

    /// <summary>What the report and the run's output both warn of: too few test rows to trust the metrics, and the columns left out of the features.</summary>
    public static IReadOnlyList<string> Warnings(TrainingPlan plan, int testRows)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var warnings = new List<string>();
        if (testRows < FewTestRows)
        {
            warnings.Add($"Only {testRows:N0} test rows: test metrics this few rows give are noise more than measure (at least {FewTestRows} are advised); use a larger dataset or a larger split.test.");
        }

        warnings.AddRange(plan.SkippedFeatures.Select(s => $"Column '{s.Key}' is not a feature: {s.Value}."));
        return warnings;
    }
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
            .Append(E($"Training {request.Model} v{report.Version}")).Append("</title><style>").Append(PageLook.Css)
            .Append(".promoted{background:#dafbe1;border:1px solid #4ac26b}.held{background:#fff8c5;border:1px solid #d4a72c}")
            .Append("table{width:100%}")
            .Append("td.n,th.n{text-align:right}tr.best{background:#f0f7ff;font-weight:600}tr.failed{color:#9a6700}")
            .Append(".charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.25rem}svg text{font:11px system-ui,sans-serif;fill:#59636e}svg text.area{font-weight:600;fill:#1f2328}")
            .Append("</style></head><body>").Append(PageLook.ConsoleLink);
        html.Append("<h1>").Append(E($"{request.Model} version {report.Version}")).Append("</h1><p class=\"muted\">")
            .Append(E($"Pipeline {report.PipelineId} · {plan.Task.ToString().ToLowerInvariant()} on {request.Dataset} v{plan.DatasetVersion} (sha256 {plan.Sha256[..12]}…), label '{request.Label}' · {plan.Features.Count} features · seed {request.Seed} · chosen on {plan.Metric}"))
            .Append("</p>");
        html.Append("<div class=\"verdict ").Append(report.Promotion == PromotionOutcome.Promoted ? "promoted" : "held").Append("\" id=\"verdict\">")
            .Append(E($"{WireNames.Of(report.Promotion)}: {report.Reason}")).Append("</div>");

        var warnings = TrainingReportContent.Warnings(plan, report.TestRows);
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

        html.Append(Leaderboard(plan, report.Trials));
        var evaluation = report.Evaluation;
        html.Append("<h2>Test rows</h2><div class=\"charts\">");
        if (evaluation.Roc is { } roc)
        {
            html.Append(Curve("ROC curve", "roc", roc, "false positive rate (share of negatives)", "true positive rate (share of positives)", diagonal: true, Area(report, "auc", "AUC")));
        }

        if (evaluation.PrecisionRecall is { } pr)
        {
            html.Append(Curve("Precision-recall curve", "pr", pr, "recall (share of positives found)", "precision (share of flagged that are positive)", diagonal: false, Area(report, "prauc", "PR AUC")));
        }

        if (evaluation.Residuals is { Count: > 0 } residuals)
        {
            html.Append(Scatter(residuals, request.Label));
        }

        html.Append(Importance(evaluation.Importance, plan.Metric)).Append("</div>");
        if (evaluation.Confusion is { } confusion && evaluation.Classes is { } classes)
        {
            html.Append(Confusion(confusion, classes));
        }

        return html.Append("</body></html>").ToString();
    }

    /// <summary>
    /// Every trial, best first, with the rung each score came from, the winner marked, and a note on
    /// why the winner is the one it is: a rung-0 tree score is measured at a fraction of the rounds,
    /// so it can top the table without being the better model.
    /// </summary>
    private static string Leaderboard(TrainingPlan plan, IReadOnlyList<TrialOutcome> trials)
    {
        var best = TrialSearch.Best(plan, trials);
        var html = new StringBuilder("<h2>Leaderboard</h2><p id=\"leaderboard-note\">").Append(E(WhyTheWinner(plan, trials, best))).Append("</p>");
        html.Append("<table id=\"leaderboard\"><tr><th>#</th><th>Trial</th><th>Trainer</th><th>Rung: score measured at</th><th>Parameters</th><th class=\"n\">")
            .Append(E($"Validation {plan.Metric}")).Append("</th><th class=\"n\">Fit ms</th><th>Status</th></tr>");
        var ranked = TrialSearch.Ranked(plan, trials).Concat(trials.Where(t => t.Status != RunStatus.Finished)).ToList();
        for (var i = 0; i < ranked.Count; i++)
        {
            var t = ranked[i];
            var winner = t == best;
            html.Append(s_c, $"<tr data-trial=\"{t.Trial}\" data-rung=\"{t.Rung}\"").Append(winner ? " class=\"best\" data-winner=\"true\"" : t.Status == RunStatus.Failed ? " class=\"failed\"" : string.Empty)
                .Append("><td>").Append(i + 1).Append("</td><td>").Append(t.Trial).Append("</td><td>").Append(E(t.Spec.Trainer))
                .Append("</td><td>").Append(E($"{t.Rung}: {MeasuredAt(plan, t)}")).Append("</td><td>")
                .Append(E(t.Spec.Parameters.Count == 0 ? "defaults" : string.Join(", ", t.Spec.Parameters.Where(p => p.Key != "fullIterations").Select(p => $"{p.Key}={p.Value.ToString("G4", s_c)}"))))
                .Append("</td><td class=\"n\">").Append(t.Metrics.TryGetValue(plan.Metric, out var v) ? F(v) : "—").Append("</td><td class=\"n\">").Append(t.FitMs.ToString("N0", s_c))
                .Append("</td><td>").Append(E(t.Status == RunStatus.Failed ? $"FAILED: {t.Error}" : winner ? $"{WireNames.Of(t.Status)} ★ winner" : WireNames.Of(t.Status))).Append("</td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string WhyTheWinner(TrainingPlan plan, IReadOnlyList<TrialOutcome> trials, TrialOutcome? best)
    {
        if (best is null)
        {
            return "No trial finished: there is no winner.";
        }

        var metric = plan.Metric;
        if (TrialSearch.SurvivorCount(plan) == 0)
        {
            return plan.Request.Trials < TrialSearch.MinTrialsForHalving
                ? $"The winner (★) has the best validation {metric}. With {plan.Request.Trials} trials (fewer than {TrialSearch.MinTrialsForHalving}) the search does not halve: every trial ran at full rounds in rung 0, so every score competes."
                : $"The winner (★) has the best validation {metric}. No trainer searched has fixed rounds to cut, so the search does not halve: every trial ran at full rounds (or the rounds early stopping chose) in rung 0, so every score competes.";
        }

        if (!TrialSearch.AtFullRounds(plan, best))
        {
            return $"No candidate finished at full rounds, so the winner (★) is the best rung-0 score, measured at {Budget} of the boosting rounds.";
        }

        var why = $"The winner (★) is picked from the last rung of the successive-halving search: the best validation {metric} among rung 1, where the best {TrialSearch.SurvivorCount(plan)} tree candidates of rung 0 were refit at full rounds, and the candidates whose rung-0 score is already final (linear ones have no rounds to cut; LightGBM chose its rounds by early stopping on the validation rows). Budgeted rung-0 tree scores were measured at {Budget} of the boosting rounds: fewer rounds, so they only chose which candidates went on to rung 1 and do not compete with its scores.";
        var above = TrialSearch.Ranked(plan, trials).TakeWhile(t => t != best).Select(t => t.Trial).ToList();
        return above.Count == 0 ? why
            : why + $" {(above.Count == 1 ? "Trial" : "Trials")} {string.Join(", ", above)} {(above.Count == 1 ? "ranks" : "rank")} above the winner on {(above.Count == 1 ? "a rung-0 score" : "rung-0 scores")} at {Budget} of the rounds, not comparable with a full-round score.";
    }

    /// <summary>What a trial's score was measured at, as the leaderboard's rung column says it.</summary>
    private static string MeasuredAt(TrainingPlan plan, TrialOutcome trial) =>
        !TrialSearch.AtFullRounds(plan, trial) ? $"{Budget} of the rounds"
        : trial.Spec.Parameters.ContainsKey("maxIterations") ? "rounds chosen by early stopping"
        : TrialSearch.IsTree(trial.Spec.Trainer) ? "full rounds"
        : "final (no rounds to cut)";

    /// <summary><see cref="TrialSearch.StartBudget"/> as the report writes it ("1/3").</summary>
    private static string Budget => $"1/{Math.Round(1 / TrialSearch.StartBudget).ToString(s_c)}";

    /// <summary>A curve over two rates in [0, 1], with the area under it written on the plot when the test metrics have it.</summary>
    private static string Curve(string title, string id, IReadOnlyList<CurvePoint> points, string x, string y, bool diagonal, string? area)
    {
        var plot = new PlotArea(Axis.Linear(x, 0, 1), Axis.Linear(y, 0, 1), 240, 240);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure id=\"{id}\"><figcaption>{E(title)}</figcaption>").Append(plot.Open(title)).Append(plot.Axes());
        if (diagonal)
        {
            svg.Append(Line(plot, 0, 0, 1, 1));
        }

        svg.Append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', points.Select(p => $"{PlotArea.N(plot.X(p.X))},{PlotArea.N(plot.Y(p.Y))}"))
            .Append("\"/>");
        if (area is not null)
        {
            // Lower right: a ROC curve worth reading stays above the diagonal, a PR curve ends low on the right only when precision collapses.
            svg.Append(PlotArea.Text(plot.X(0.97), plot.Y(0.05), area, $"id=\"{id}-area\" class=\"area\" text-anchor=\"end\""));
        }

        return svg.Append("</svg></figure>").ToString();
    }

    private static string Scatter(IReadOnlyList<CurvePoint> points, string label)
    {
        var low = points.Min(p => Math.Min(p.X, p.Y));
        var high = points.Max(p => Math.Max(p.X, p.Y));
        // The same range on both axes: the diagonal is then "predicted = actual".
        var plot = new PlotArea(Axis.Linear($"actual {label} (label units)", low, high), Axis.Linear($"predicted {label} (label units)", low, high), 240, 240);
        var svg = new StringBuilder("<figure id=\"residuals\"><figcaption>Predicted against actual</figcaption>").Append(plot.Open("predicted against actual")).Append(plot.Axes());
        svg.Append(Line(plot, low, low, high, high));
        foreach (var p in points)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle r=\"2\" fill=\"#0969da\" fill-opacity=\".45\" cx=\"{PlotArea.N(plot.X(p.X))}\" cy=\"{PlotArea.N(plot.Y(p.Y))}\"/>");
        }

        return svg.Append("</svg></figure>").ToString();
    }

    private static string Importance(IReadOnlyDictionary<string, double> importance, string metric)
    {
        var rows = importance.OrderByDescending(i => i.Value).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
        var values = rows.Select(r => r.Value).DefaultIfEmpty(0).ToList();
        // From zero either way: a feature whose shuffling helped shows a bar left of zero, not nothing.
        var x = Axis.Linear($"drop in {metric} when shuffled ({metric} points)", Math.Min(0, values.Min()), Math.Max(0, values.Max()));
        var plot = new PlotArea(x, Axis.Categories("feature", [.. rows.Select(r => r.Key)]), 260, Math.Max(1, rows.Count) * 18);
        var svg = new StringBuilder("<figure id=\"importance\"><figcaption>Permutation importance (drop in the metric when shuffled)</figcaption>")
            .Append(plot.Open("feature importance")).Append(plot.Axes());
        for (var i = 0; i < rows.Count; i++)
        {
            var (from, to) = (plot.X(Math.Min(0, rows[i].Value)), plot.X(Math.Max(0, rows[i].Value)));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{PlotArea.N(from)}\" y=\"{PlotArea.N(plot.Y(i) + 3)}\" width=\"{PlotArea.N(to - from)}\" height=\"12\" fill=\"#0969da\"><title>{E($"{rows[i].Key}: {F(rows[i].Value)}")}</title></rect>");
        }

        return svg.Append("</svg></figure>").ToString();
    }

    /// <summary>The area under a curve as the test metrics state it (the curve drawn is thinned, so its own area would differ in the last digits).</summary>
    private static string? Area(TrainingReportContent report, string metric, string name) =>
        report.TestMetrics.TryGetValue(metric, out var value) ? $"{name} = {F(value)} (test rows)" : null;

    private static string Line(PlotArea plot, double x1, double y1, double x2, double y2) =>
        $"<line x1=\"{PlotArea.N(plot.X(x1))}\" y1=\"{PlotArea.N(plot.Y(y1))}\" x2=\"{PlotArea.N(plot.X(x2))}\" y2=\"{PlotArea.N(plot.Y(y2))}\" stroke=\"#d0d7de\" stroke-dasharray=\"4 3\"/>";

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

    private static string F(double value) => value.ToString("0.######", s_c);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
