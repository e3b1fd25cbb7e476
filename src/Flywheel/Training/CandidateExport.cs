using Flywheel.Contracts.Training;
using Flywheel.Onnx;
using Flywheel.Training.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Flywheel.Training;

/// <summary>How far ONNX Runtime's answers on the same rows are from ML.NET's: the largest difference in a score or probability, and rows whose label differs.</summary>
public sealed record ParityReport(int Rows, double MaxDifference, int LabelsDiffering, string Compared)
{
    /// <summary>Largest score or probability difference accepted (float32 arithmetic in a different order).</summary>
    public const double Tolerance = 1e-4;

    public bool Passed => LabelsDiffering == 0 && MaxDifference <= Tolerance;
}

/// <summary>
/// Exports a fitted candidate to ONNX that takes exactly its feature columns (one [N,1] input each, the
/// dataset's raw values) and answers as a caller reads it (<see cref="NamedOutputs"/>: the class as in
/// the data and a probability per class, or the predicted value). By default the converter also
/// declares the label as an input and adds some forty intermediate and junk outputs; they are pruned.
/// The file names Flywheel and this build as its producer (<see cref="OnnxProducer"/>), not the converter.
/// Then the export is checked against ML.NET on the same rows, so a model that would serve other
/// answers than it was measured with is never registered.
/// </summary>
public static class CandidateExport
{
    /// <summary>The <c>producer_name</c> of every model Flywheel trains.</summary>
    public const string Producer = "Flywheel";

    public static byte[] Export(TrainingPlan plan, FittedCandidate candidate, string csv)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(candidate);
        string[] raw = plan.Task switch
        {
            TrainingTask.Binary => ["PredictedLabel", "Probability"],
            TrainingTask.Multiclass => ["PredictedLabel", "Score"],
            _ => ["Score"],
        };
        using var stream = new MemoryStream();
        candidate.Context.Model.ConvertToOnnx(candidate.Model, candidate.Prepare(plan, csv), stream, raw);
        var pruned = OnnxGraphPruning.Prune(stream.ToArray(), [.. raw.Select(o => o + ".output")]);
        var named = plan.Task == TrainingTask.Regression
            ? NamedOutputs.Regressor(pruned, "Score.output")
            : NamedOutputs.Classifier(pruned, "PredictedLabel.output", $"{raw[1]}.output", plan.Task == TrainingTask.Binary, candidate.Classes!);
        return OnnxProducer.Stamp(named, Producer, FlywheelVersion.Informational);
    }

    /// <summary>Scores the rows of <paramref name="csv"/> with ML.NET and with ONNX Runtime on <paramref name="onnx"/>, and compares.</summary>
    public static ParityReport Parity(TrainingPlan plan, FittedCandidate candidate, byte[] onnx, string csv)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        using var scorer = new OnnxScorer(onnx, plan, candidate.Classes);
        return Parity(plan, CandidateTrainer.Score(plan, candidate, csv), scorer, FeatureColumns.Read(candidate.Context, plan, csv));
    }

    /// <summary>Compares ML.NET's answers (<paramref name="expected"/>) with the export's on the same rows (<paramref name="rows"/>).</summary>
    public static ParityReport Parity(TrainingPlan plan, ScoredRows expected, OnnxScorer scorer, FeatureColumns rows)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(scorer);
        var (actual, labels) = scorer.Score(rows, expected.Truth);
        var differing = plan.Task == TrainingTask.Regression ? 0 : Enumerable.Range(0, expected.Rows).Count(r => labels[r] != expected.Classes![expected.PredictedClass(r)]);
        var difference = expected.Values.Zip(actual.Values, (e, a) => Math.Abs(e - a) / (plan.Task == TrainingTask.Regression ? Math.Max(1, Math.Abs(e)) : 1)).DefaultIfEmpty(0).Max();
        return new ParityReport(expected.Rows, difference, differing, plan.Task switch
        {
            TrainingTask.Binary => "probability",
            TrainingTask.Multiclass => "class probabilities",
            _ => "prediction (relative)",
        });
    }
}
