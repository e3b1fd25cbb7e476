using Flywheel.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

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
/// dataset's raw values) and gives only the useful outputs: by default the converter also declares the
/// label as an input and adds some forty intermediate and junk outputs. Then checks the export against
/// ML.NET on the same rows, so a model that would serve other answers than it was measured with is
/// never registered.
/// </summary>
public static class CandidateExport
{
    public static IReadOnlyList<string> Outputs(TrainingTask task) => task switch
    {
        TrainingTask.Binary => ["PredictedLabel", "Score", "Probability"],
        TrainingTask.Multiclass => ["PredictedLabel", "Score"],
        _ => ["Score"],
    };

    public static byte[] Export(TrainingPlan plan, FittedCandidate candidate, string csv)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(candidate);
        using var stream = new MemoryStream();
        candidate.Context.Model.ConvertToOnnx(candidate.Model, candidate.Prepare(plan, csv), stream, [.. Outputs(plan.Task)]);
        return OnnxGraphPruning.Prune(stream.ToArray(), [.. Outputs(plan.Task).Select(o => o + ".output")]);
    }

    /// <summary>Scores the rows of <paramref name="csv"/> with ML.NET and with ONNX Runtime on <paramref name="onnx"/>, and compares.</summary>
    public static ParityReport Parity(TrainingPlan plan, FittedCandidate candidate, byte[] onnx, string csv)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(candidate);
        var data = candidate.Prepare(plan, csv);
        var scored = candidate.Model.Transform(data);
        var rows = 0;
        using (var cursor = data.GetRowCursor([]))
        {
            while (cursor.MoveNext())
            {
                rows++;
            }
        }

        var inputs = new List<NamedOnnxValue>();
        foreach (var feature in plan.Features)
        {
            inputs.Add(feature.Kind == FeatureKind.Numeric
                ? NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<float>(data.GetColumn<float>(feature.Name).ToArray(), [rows, 1]))
                : NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<string>(data.GetColumn<ReadOnlyMemory<char>>(feature.Name).Select(v => v.ToString()).ToArray(), [rows, 1])));
        }

        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnx, options);
        using var results = session.Run(inputs);
        var output = results.ToDictionary(r => r.Name, r => r, StringComparer.Ordinal);
        return plan.Task switch
        {
            TrainingTask.Binary => new ParityReport(rows,
                MaxDifference(scored.GetColumn<float>("Probability"), output["Probability.output"].AsEnumerable<float>()),
                Differing(scored.GetColumn<bool>("PredictedLabel"), output["PredictedLabel.output"].AsEnumerable<bool>()), "probability"),
            TrainingTask.Multiclass => new ParityReport(rows,
                MaxDifference(scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()), output["Score.output"].AsEnumerable<float>()),
                Differing(scored.GetColumn<uint>("PredictedLabel"), output["PredictedLabel.output"].AsEnumerable<uint>()), "class probabilities"),
            _ => new ParityReport(rows,
                MaxDifference(scored.GetColumn<float>("Score"), output["Score.output"].AsEnumerable<float>(), relative: true), 0, "prediction (relative)"),
        };
    }

    private static double MaxDifference(IEnumerable<float> expected, IEnumerable<float> actual, bool relative = false) =>
        expected.Zip(actual, (e, a) => Math.Abs((double)e - a) / (relative ? Math.Max(1, Math.Abs((double)e)) : 1)).DefaultIfEmpty(0).Max();

    private static int Differing<T>(IEnumerable<T> expected, IEnumerable<T> actual) =>
        expected.Zip(actual, (e, a) => EqualityComparer<T>.Default.Equals(e, a) ? 0 : 1).Sum();
}
