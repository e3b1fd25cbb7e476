using Flywheel.Contracts.Training;
using Flywheel.Training;
using Flywheel.Training.Search;

namespace Flywheel.Tests.Training;

/// <summary>The search's plan: a pure function of the request, with early-stopped LightGBM outside the halving.</summary>
public sealed class TrialSearchTests
{
    private static TrainingPlan Plan(int trials, TrainingTask task = TrainingTask.Binary, params string[] trainers) =>
        new(new TrainingRequest { Model = "m", Dataset = "d", Label = "y", Trials = trials, Seed = 7 }, 1, new string('a', 64), "csv", [], task,
            task == TrainingTask.Regression ? "rmse" : task == TrainingTask.Binary ? "auc" : "macro-logloss",
            [new FeatureSpec("x", FeatureKind.Numeric)], new Dictionary<string, string>(), trainers.Length == 0 ? ["lightgbm", "fasttree", "linear"] : trainers,
            task == TrainingTask.Regression ? null : ["0", "1"], 1000, TimeSpan.FromDays(1));

    private static TrialOutcome Finished(TrialPlan trial, double auc) =>
        new(trial.Trial, trial.Rung, $"run-{trial.Trial}", trial.Spec, RunStatus.Finished, new Dictionary<string, double> { ["auc"] = auc }, 10, null);

    [Fact]
    public void Lightgbm_trials_choose_their_rounds_and_only_fixed_round_trees_are_budgeted_and_halved()
    {
        var plan = Plan(12);

        var start = TrialSearch.Start(plan);
        var survivors = TrialSearch.Survivors(plan, start, [.. start.Select((t, i) => Finished(t, 0.8 + (i * 0.001)))]);

        Assert.Equal(9, start.Count);
        Assert.All(start.Where(t => t.Spec.Trainer == "lightgbm"), t => Assert.False(t.Spec.Parameters.ContainsKey("iterations") || TrialSearch.IsBudgeted(t.Spec)));
        Assert.All(start.Where(t => t.Spec.Trainer == "fasttree"), t => Assert.True(TrialSearch.IsBudgeted(t.Spec)));
        Assert.Equal(3, survivors.Count);
        Assert.All(survivors, t => Assert.Equal("fasttree", t.Spec.Trainer));
        Assert.Equal(12, start.Count + survivors.Count);
    }

    [Theory]
    [InlineData(TrainingTask.Binary, "lightgbm", "linear")]
    [InlineData(TrainingTask.Regression, "lightgbm")]
    public void Without_a_fixed_round_trainer_the_search_runs_every_asked_trial_in_rung_0(TrainingTask task, params string[] trainers)
    {
        var plan = Plan(8, task, trainers);

        var start = TrialSearch.Start(plan);

        Assert.Equal(0, TrialSearch.SurvivorCount(plan));
        Assert.Equal(8, start.Count);
        Assert.All(start, t => Assert.False(TrialSearch.IsBudgeted(t.Spec)));
    }

    [Fact]
    public void Multiclass_lightgbm_keeps_fixed_rounds_and_is_halved()
    {
        var plan = Plan(8, TrainingTask.Multiclass, "lightgbm", "linear");

        var start = TrialSearch.Start(plan);

        Assert.Equal(2, TrialSearch.SurvivorCount(plan));
        Assert.All(start.Where(t => t.Spec.Trainer == "lightgbm"), t => Assert.True(TrialSearch.IsBudgeted(t.Spec)));
    }

    [Fact]
    public void The_same_request_plans_the_same_trials()
    {
        var first = TrialSearch.Start(Plan(12));
        var second = TrialSearch.Start(Plan(12));

        Assert.Equal(first.Select(t => (t.Trial, t.Spec.Trainer, t.Rung, string.Join(",", t.Spec.Parameters.OrderBy(p => p.Key)))),
            second.Select(t => (t.Trial, t.Spec.Trainer, t.Rung, string.Join(",", t.Spec.Parameters.OrderBy(p => p.Key)))));
    }
}
