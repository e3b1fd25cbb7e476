using System.Globalization;

using Flywheel.Contracts.Training;

namespace Flywheel.Training.Search;

/// <summary>One trial of a search: its number, its candidate and its rung (0: the random start, fixed-round trees at a third of their rounds; 1: the survivors at full rounds).</summary>
public sealed record TrialPlan(int Trial, TrialSpec Spec, int Rung);

/// <summary>
/// The search: a seeded random start, then successive halving. Rung 0 tries every family's
/// defaults, then random hyperparameters (log-uniform), with fixed-round tree families (FastTree)
/// at a third of their boosting rounds; rung 1 refits the best of those, up to a quarter of the
/// budget, at full rounds. LightGBM chooses its rounds by early stopping on the validation rows
/// and linear trainers have no rounds to cut, so their rung-0 scores are final. Everything follows
/// from the request's seed, trials and trainers, so an orchestration replaying it gets the same
/// plan (no I/O, no clock).
/// </summary>
public static class TrialSearch
{
    /// <summary>Share of the boosting rounds a rung-0 tree candidate gets.</summary>
    public const double StartBudget = 1.0 / 3;

    /// <summary>Trials needed before halving pays: below, every trial runs at full rounds.</summary>
    public const int MinTrialsForHalving = 4;

    /// <summary>
    /// Rung 1's size: a quarter of the trials, but no more than the budgeted (fixed-round tree)
    /// trials rung 0 holds, so the search runs exactly the trials asked for.
    /// </summary>
    public static int SurvivorCount(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var trials = plan.Request.Trials;
        if (trials < MinTrialsForHalving)
        {
            return 0;
        }

        var survivors = trials / 4;
        while (survivors > 0 && Enumerable.Range(0, trials - survivors).Count(i => CutsRounds(plan.Task, plan.Trainers[i % plan.Trainers.Count])) < survivors)
        {
            survivors--;
        }

        return survivors;
    }

    public static IReadOnlyList<TrialPlan> Start(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var trials = plan.Request.Trials;
        var halving = SurvivorCount(plan) > 0;
        var count = trials - SurvivorCount(plan);
        var random = new Random(plan.Request.Seed);
        var start = new List<TrialPlan>(count);
        for (var i = 0; i < count; i++)
        {
            var trainer = plan.Trainers[i % plan.Trainers.Count];
            var parameters = i < plan.Trainers.Count ? Defaults(trainer) : Sample(plan.Task, trainer, random);
            start.Add(new TrialPlan(i, new TrialSpec(trainer, halving ? Budgeted(plan.Task, trainer, parameters) : parameters), 0));
        }

        return start;
    }

    /// <summary>Rung 1: the best budgeted candidates of rung 0 at full rounds.</summary>
    public static IReadOnlyList<TrialPlan> Survivors(TrainingPlan plan, IReadOnlyList<TrialPlan> start, IReadOnlyList<TrialOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(outcomes);
        var survivors = SurvivorCount(plan);
        return Ranked(plan, outcomes.Where(o => o.Rung == 0 && IsBudgeted(o.Spec)))
            .Take(survivors)
            .Select((o, i) => new TrialPlan(start.Count + i, new TrialSpec(o.Spec.Trainer, Full(o.Spec.Parameters)), 1))
            .ToList();
    }

    /// <summary>The best finished candidate whose score was measured at full rounds; null when none finished.</summary>
    public static TrialOutcome? Best(TrainingPlan plan, IReadOnlyList<TrialOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcomes);
        return Ranked(plan, outcomes.Where(o => AtFullRounds(plan, o))).FirstOrDefault()
            ?? Ranked(plan, outcomes).FirstOrDefault();
    }

    /// <summary>
    /// Whether a trial's score was measured at full rounds: every one but a budgeted rung-0 trial's
    /// (a linear trainer has no rounds to cut, an early-stopped one chose its own). Only these compete
    /// for the win; a budgeted score, at <see cref="StartBudget"/> of the rounds, only picks who goes on.
    /// </summary>
    public static bool AtFullRounds(TrainingPlan plan, TrialOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcome);
        return SurvivorCount(plan) == 0 || outcome.Rung == 1 || !IsBudgeted(outcome.Spec);
    }

    /// <summary>Finished outcomes, best first on the plan's metric; ties go to the earlier trial.</summary>
    public static IEnumerable<TrialOutcome> Ranked(TrainingPlan plan, IEnumerable<TrialOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var higher = Evaluation.TrainingMetrics.HigherIsBetter(plan.Metric);
        return outcomes.Where(o => o.Status == RunStatus.Finished && o.Metrics.ContainsKey(plan.Metric))
            .OrderBy(o => higher ? -o.Metrics[plan.Metric] : o.Metrics[plan.Metric]).ThenBy(o => o.Trial);
    }

    /// <summary>Whether a trainer boosts trees, so has rounds a rung can cut.</summary>
    public static bool IsTree(string trainer) => trainer is "lightgbm" or "fasttree";

    /// <summary>Whether rung 0 cuts a trainer's rounds: a tree family whose rounds are fixed, not chosen by early stopping.</summary>
    public static bool CutsRounds(TrainingTask task, string trainer) => IsTree(trainer) && !CandidateTrainer.StopsEarly(task, trainer);

    /// <summary>Whether a candidate was planned at <see cref="StartBudget"/> of its rounds (it records the full count).</summary>
    public static bool IsBudgeted(TrialSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Parameters.ContainsKey("fullIterations");
    }

    private static Dictionary<string, double> Defaults(string trainer) => new(StringComparer.Ordinal);

    private static Dictionary<string, double> Sample(TrainingTask task, string trainer, Random random)
    {
        double LogUniform(double low, double high) => Math.Exp(Math.Log(low) + (random.NextDouble() * (Math.Log(high) - Math.Log(low))));
        if (!IsTree(trainer))
        {
            return new(StringComparer.Ordinal) { ["l2"] = Round(LogUniform(1e-4, 10)) };
        }

        var sample = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["leaves"] = Math.Round(LogUniform(4, 128)),
            ["learningRate"] = Round(LogUniform(0.02, 0.3)),
            ["iterations"] = Math.Round(LogUniform(50, 500)),
            ["minLeafRows"] = Math.Round(LogUniform(2, 100)),
        };
        if (CandidateTrainer.StopsEarly(task, trainer))
        {
            // Drawn all the same, so the draws of every later trial stay where they were; the rounds are chosen on the validation rows.
            sample.Remove("iterations");
        }

        return sample;
    }

    /// <summary>Rung 0's candidate: the same hyperparameters with a third of the rounds (recorded as <c>fullIterations</c>).</summary>
    private static Dictionary<string, double> Budgeted(TrainingTask task, string trainer, Dictionary<string, double> parameters)
    {
        if (!CutsRounds(task, trainer))
        {
            return parameters;
        }

        var full = parameters.TryGetValue("iterations", out var n) ? n : CandidateTrainer.DefaultIterations;
        return new Dictionary<string, double>(parameters, StringComparer.Ordinal)
        {
            ["iterations"] = Math.Max(10, Math.Round(full * StartBudget)),
            ["fullIterations"] = full,
        };
    }

    private static Dictionary<string, double> Full(IReadOnlyDictionary<string, double> parameters)
    {
        var full = parameters.Where(p => p.Key != "fullIterations").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        full["iterations"] = parameters["fullIterations"];
        return full;
    }

    /// <summary>Four significant digits: parameters read well in the leaderboard and round-trip exactly through JSON.</summary>
    private static double Round(double value) => double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
