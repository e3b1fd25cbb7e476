using System.Globalization;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Training;
using Flywheel.Monitoring.Models;
using Flywheel.Registry;
using Flywheel.Serving;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Runtime;
using Flywheel.Training;
using Flywheel.Training.Evaluation;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Training;

/// <summary>
/// Scores the candidate and the champion on the same test rows, both through the serving path (so a
/// champion made elsewhere is scored as it serves), and compares them on the plan's metric with the
/// gate's margins, MLflow's validate_evaluation_results semantics: the candidate passes when it is
/// better by more than nothing, by at least <c>minAbsoluteChange</c> and by at least
/// <c>minRelativeChange</c> of the champion's value. The rows compared are only the test rows the
/// champion never trained or validated on (<see cref="UnseenRows"/>): a champion scored on its own
/// training rows looks better than it is, and every retrain would be biased against promotion.
/// With fewer than <c>gate.minRows</c> such rows the candidate is not promoted. It writes one thing:
/// the candidate's answers on the test rows, kept as the reference predictions monitoring compares with.
/// </summary>
public sealed class GateCandidate(TrainingFrames frames, ModelRegistry registry, Predictor predictor, ReferencePredictions references, UnseenRows unseen)
    : TaskActivity<GateWork, GateVerdict>
{
    public override async Task<GateVerdict> RunAsync(TaskActivityContext context, GateWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (plan, candidate) = (input.Plan, input.Candidate);
        var metric = plan.Metric;
        var classes = input.Data.Split.Classes;
        var local = await frames.LocalAsync(input.Data.Frames, CancellationToken.None).ConfigureAwait(false);
        var rows = FeatureColumns.Read(plan, local.Test);
        var (mine, answers) = await ScoreAsync(plan, candidate.Version, rows, classes).ConfigureAwait(false);
        // The served answers on the test rows are the version's reference for prediction drift (an overwrite on a retry).
        await references.SaveAsync(plan.Request.Model, candidate.Version, $"version {candidate.Version}'s answers on the {rows.Rows:N0} test rows of pipeline {input.PipelineId}", answers, CancellationToken.None).ConfigureAwait(false);

        var all = new GateRows(rows.Rows, rows.Rows, 0, $"all {rows.Rows:N0} test rows");
        var model = await registry.GetModelAsync(plan.Request.Model, null, 1, CancellationToken.None).ConfigureAwait(false);
        if (model is null || !model.Aliases.TryGetValue(AliasName.Champion, out var champion))
        {
            return new GateVerdict(true, null, null, mine, [$"There is no champion yet: {metric} {Format(mine[metric])} on the {rows.Rows:N0} test rows."], all);
        }

        if (champion == candidate.Version)
        {
            return new GateVerdict(true, champion, mine, mine, [$"Version {champion} is already the champion (the same model bytes)."], all);
        }

        var championVersion = await registry.GetAsync(plan.Request.Model, VersionReference.Of(champion), CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The champion, version {champion}, is not in the registry.");
        var candidateVersion = await registry.GetAsync(plan.Request.Model, VersionReference.Of(candidate.Version), CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The candidate, version {candidate.Version}, is not in the registry.");
        if (InputSignature.Differences(championVersion, candidateVersion) is { Count: > 0 } differences && !plan.Request.AllowSignatureChange)
        {
            return new GateVerdict(false, champion, null, mine,
                [$"The candidate takes other inputs than the champion (version {champion}), so callers of the champion would fail on it: {string.Join("; ", differences.Take(10))}. " +
                 "List the champion's features in the request, or send \"allowSignatureChange\": true to promote it anyway."], all);
        }

        var held = await unseen.FindAsync(plan, input.Data.Split, championVersion, CancellationToken.None).ConfigureAwait(false);
        var compared = new GateRows(held.Test, held.ComparedRows, held.Excluded, held.Basis);
        var minRows = plan.Request.Gate.MinRows;
        if (held.ComparedRows < minRows)
        {
            return new GateVerdict(false, champion, null, mine,
                [$"Only {held.ComparedRows:N0} test rows can be compared with the champion (version {champion}); the gate needs at least {minRows:N0} (gate.minRows), so the candidate is not promoted. {held.Basis}."],
                compared);
        }

        var subset = held.Excluded == 0 ? rows : rows.Where(held.Compared);
        if (held.Excluded > 0)
        {
            (mine, _) = await ScoreAsync(plan, candidate.Version, subset, classes).ConfigureAwait(false);
        }

        IReadOnlyDictionary<string, double> theirs;
        try
        {
            // A champion that takes fewer columns is sent only those (a caller of it would send no more).
            var takes = championVersion.Training?.Features ?? championVersion.FeatureNames ?? championVersion.Signature?.Inputs.Select(i => i.Name).ToList();
            var sent = takes is { Count: > 0 } && takes.All(subset.Features.Select(f => f.Name).Contains) ? subset.Only(takes.ToHashSet(StringComparer.Ordinal)) : subset;
            (theirs, _) = await ScoreAsync(plan, champion, sent, classes).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FlywheelException or PredictionInputException or KeyNotFoundException or InvalidCastException or FormatException)
        {
            return new GateVerdict(false, champion, null, mine,
                [$"The champion (version {champion}) cannot be scored on the candidate's test rows, so the two cannot be compared: {ex.Message}"], compared);
        }

        var higher = TrainingMetrics.HigherIsBetter(metric);
        var (c, b) = (mine[metric], theirs[metric]);
        var gain = higher ? c - b : b - c;
        var gate = plan.Request.Gate;
        var reasons = new List<string>();
        var direction = higher ? "higher" : "lower";
        var on = $"on {held.ComparedRows:N0} test rows neither model trained on";
        if (!(gain > 0))
        {
            reasons.Add($"{metric} {Format(c)} is not better than the champion's (version {champion}) {Format(b)} {on} ({direction} is better).");
        }
        else
        {
            if (gain < gate.MinAbsoluteChange)
            {
                reasons.Add($"{metric} improves on the champion's {Format(b)} by {Format(gain)} {on}, less than minAbsoluteChange {Format(gate.MinAbsoluteChange)}.");
            }

            if (b != 0 && gain / Math.Abs(b) < gate.MinRelativeChange)
            {
                reasons.Add($"{metric} improves on the champion's {Format(b)} by {(gain / Math.Abs(b)).ToString("P3", CultureInfo.InvariantCulture)} {on}, less than minRelativeChange {gate.MinRelativeChange.ToString("P3", CultureInfo.InvariantCulture)}.");
            }
        }

        reasons.Add($"Rows: {held.Basis}.");
        return reasons.Count == 1
            ? new GateVerdict(true, champion, theirs, mine, [$"{metric} {Format(c)} beats the champion's (version {champion}) {Format(b)} by {Format(gain)} {on}.", .. reasons], compared)
            : new GateVerdict(false, champion, theirs, mine, reasons, compared);
    }

    private async Task<(IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<object?> Answers)> ScoreAsync(TrainingPlan plan, int version, FeatureColumns rows, IReadOnlyList<string>? classes)
    {
        var predictions = await predictor.ScoreAsync(plan.Request.Model, version, RecordBatch.Parse(rows.ToDataframeSplit()), CancellationToken.None).ConfigureAwait(false);
        var values = plan.Task switch
        {
            TrainingTask.Binary => predictions.Select(p => Probabilities(p)[classes![1]]).ToArray(),
            TrainingTask.Multiclass => predictions.SelectMany(p => classes!.Select(c => Probabilities(p).GetValueOrDefault(c))).ToArray(),
            _ => predictions.Select(p => Convert.ToDouble(p, CultureInfo.InvariantCulture)).ToArray(),
        };
        return (TrainingMetrics.Compute(new ScoredRows(plan.Task, Truth(plan, classes, rows), values, classes)), predictions);
    }

    /// <summary>A served classifier's class probabilities (<see cref="OutputShaper"/>'s <c>probabilities</c>).</summary>
    private static IReadOnlyDictionary<string, double> Probabilities(object? prediction) =>
        prediction is IReadOnlyDictionary<string, object?> named && named.GetValueOrDefault("probabilities") is IReadOnlyDictionary<string, double> probabilities
            ? probabilities
            : throw new InvalidCastException("The model does not answer class probabilities.");

    private static double[] Truth(TrainingPlan plan, IReadOnlyList<string>? classes, FeatureColumns rows)
    {
        switch (rows.Labels)
        {
            case float[] values:
                return [.. values.Select(v => (double)v)];
            case string[] labels:
                var index = classes!.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (double)p.i, StringComparer.Ordinal);
                return [.. labels.Select(l => index.GetValueOrDefault(l, -1))];
            default:
                throw new InvalidOperationException($"The label '{plan.Request.Label}' was not read.");
        }
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
