using Flywheel.Contracts.Training;
using Flywheel.Tests.Reports;
using Flywheel.Training;
using Flywheel.Training.Evaluation;
using Flywheel.Training.Reports;
using Flywheel.Training.Search;

namespace Flywheel.Tests.Training;

/// <summary>The training report's charts say what they measure, and its leaderboard says why the winner won.</summary>
public sealed class TrainingReportTests
{
    [Fact]
    public void The_roc_plot_has_ticked_axes_in_rates_and_states_the_test_auc_on_it()
    {
        var html = TrainingReport.Render(Report("roc-ticks", trials: 3, Small()));

        var roc = ChartMarkup.Figure(html, "id=\"roc\"");
        string[] rates = ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"];
        Assert.Equal(rates, ChartMarkup.Ticks(roc, "x"));
        Assert.Equal(rates, ChartMarkup.Ticks(roc, "y"));
        Assert.Equal(["false positive rate (share of negatives)", "true positive rate (share of positives)"], ChartMarkup.AxisTitles(roc));
        Assert.Contains(">AUC = 0.8125 (test rows)</text>", roc, StringComparison.Ordinal);
        Assert.Contains(">PR AUC = 0.7702 (test rows)</text>", ChartMarkup.Figure(html, "id=\"pr\""), StringComparison.Ordinal);
    }

    [Fact]
    public void The_importance_chart_names_each_feature_on_its_axis_escaped_and_ticks_the_metric_drop()
    {
        var html = TrainingReport.Render(Report("importance-ticks", trials: 3, Small()));

        var importance = ChartMarkup.Figure(html, "id=\"importance\"");
        Assert.Equal(["sex", "<b>fare & tip</b>", "age"], ChartMarkup.Ticks(importance, "y"));
        Assert.Equal(["-0.02", "0.00", "0.02", "0.04", "0.06", "0.08"], ChartMarkup.Ticks(importance, "x"));
        Assert.Contains("drop in auc when shuffled (auc points)", ChartMarkup.AxisTitles(importance));
        Assert.Contains("&lt;b&gt;fare &amp; tip&lt;/b&gt;", importance, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>fare", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_leaderboard_says_the_winner_comes_from_the_last_rung_and_that_a_higher_rung_0_score_is_at_fewer_rounds()
    {
        TrialOutcome[] trials =
        [
            Trial(0, 0, "lightgbm", 0.95, budgeted: true),
            Trial(1, 0, "fasttree", 0.80, budgeted: true),
            Trial(2, 0, "linear", 0.85),
            Trial(3, 0, "lightgbm", 0.91, budgeted: true),
            Trial(4, 0, "fasttree", 0.70, budgeted: true),
            Trial(5, 0, "linear", 0.84),
            Trial(6, 1, "lightgbm", 0.90),
            Trial(7, 1, "lightgbm", 0.88),
        ];

        var html = TrainingReport.Render(Report("leaderboard-halving", trials: 8, trials));

        var note = Between(html, "<p id=\"leaderboard-note\">", "</p>");
        Assert.StartsWith("The winner (★) is picked from the last rung of the successive-halving search: the best validation auc among rung 1, where the best 2 tree candidates of rung 0 were refit at full rounds", note, StringComparison.Ordinal);
        Assert.Contains("Budgeted rung-0 tree scores were measured at 1/3 of the boosting rounds: fewer rounds", note, StringComparison.Ordinal);
        Assert.EndsWith("Trials 0, 3 rank above the winner on rung-0 scores at 1/3 of the rounds, not comparable with a full-round score.", note, StringComparison.Ordinal);
        Assert.True(html.IndexOf("id=\"leaderboard-note\"", StringComparison.Ordinal) < html.IndexOf("<table id=\"leaderboard\">", StringComparison.Ordinal));

        var board = Between(html, "<table id=\"leaderboard\">", "</table>");
        Assert.Contains("<tr data-trial=\"6\" data-rung=\"1\" class=\"best\" data-winner=\"true\"><td>3</td><td>6</td><td>lightgbm</td><td>1: full rounds</td>", board, StringComparison.Ordinal);
        Assert.Contains("FINISHED ★ winner", board, StringComparison.Ordinal);
        Assert.Single(board.Split("data-winner").Skip(1));
        Assert.Contains("<tr data-trial=\"0\" data-rung=\"0\"><td>1</td><td>0</td><td>lightgbm</td><td>0: 1/3 of the rounds</td>", board, StringComparison.Ordinal);
        Assert.Contains("<tr data-trial=\"2\" data-rung=\"0\"><td>5</td><td>2</td><td>linear</td><td>0: final (no rounds to cut)</td>", board, StringComparison.Ordinal);
    }

    [Fact]
    public void The_leaderboard_of_a_search_too_small_to_halve_says_every_score_competes()
    {
        var html = TrainingReport.Render(Report("leaderboard-small", trials: 3, Small()));

        Assert.Equal("The winner (★) has the best validation auc. With 3 trials (fewer than 4) the search does not halve: every trial ran at full rounds in rung 0, so every score competes.",
            Between(html, "<p id=\"leaderboard-note\">", "</p>"));
        Assert.Contains("<tr data-trial=\"1\" data-rung=\"0\" class=\"best\" data-winner=\"true\"><td>1</td><td>1</td><td>fasttree</td><td>0: full rounds</td>", html, StringComparison.Ordinal);
    }

    private static TrialOutcome[] Small() =>
    [
        Trial(0, 0, "lightgbm", 0.78),
        Trial(1, 0, "fasttree", 0.81),
        Trial(2, 0, "linear", 0.80),
    ];

    private static TrialOutcome Trial(int trial, int rung, string trainer, double auc, bool budgeted = false)
    {
        Dictionary<string, double> parameters = budgeted ? new() { ["iterations"] = 34, ["fullIterations"] = 100 } : trainer == "linear" ? [] : new() { ["iterations"] = 100 };
        return new TrialOutcome(trial, rung, $"run-{trial}", new TrialSpec(trainer, parameters), RunStatus.Finished, new Dictionary<string, double> { ["auc"] = auc }, 120, null);
    }

    private static TrainingReportContent Report(string model, int trials, IReadOnlyList<TrialOutcome> outcomes)
    {
        var request = new TrainingRequest { Model = model, Dataset = $"{model}-data", Label = "survived", Trials = trials };
        var plan = new TrainingPlan(request, 1, new string('a', 64), "csv", [], TrainingTask.Binary, "auc",
            [new FeatureSpec("age", FeatureKind.Numeric), new FeatureSpec("sex", FeatureKind.Numeric)], new Dictionary<string, string>(), ["lightgbm", "fasttree", "linear"], ["0", "1"], 400, TimeSpan.FromDays(3));
        var evaluation = new TrainingEvaluation("binary", ["0", "1"],
            [new(0, 0), new(0.1, 0.5), new(0.3, 0.8), new(1, 1)], [new(0, 1), new(0.5, 0.8), new(1, 0.4)], [[40, 10], [8, 42]], null,
            new Dictionary<string, double> { ["age"] = -0.015, ["sex"] = 0.071, ["<b>fare & tip</b>"] = 0.02 });
        return new TrainingReportContent($"{model}-pipeline", plan, outcomes, 1, new Dictionary<string, double> { ["auc"] = 0.8125, ["prauc"] = 0.7702 },
            true, ["No champion yet."], null, PromotionOutcome.Promoted, "no champion yet", evaluation, TestRows: 100);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no {start}");
        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
