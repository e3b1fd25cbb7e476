using Flywheel.Contracts.Training;
using Flywheel.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Training.Evaluation;

/// <summary>Scores feature columns with ONNX Runtime on an exported candidate (<see cref="NamedOutputs"/>), giving the same <see cref="ScoredRows"/> ML.NET's answers give.</summary>
public sealed class OnnxScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly TrainingTask _task;
    private readonly IReadOnlyList<string>? _classes;

    public OnnxScorer(byte[] onnx, TrainingPlan plan, IReadOnlyList<string>? classes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(onnx, options);
        _task = plan.Task;
        _classes = classes;
    }

    /// <returns>The scores, and each row's label as the model names it (null for regression).</returns>
    public (ScoredRows Scores, string[] Labels) Score(FeatureColumns frame, double[] truth)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var inputs = frame.Features.Select((f, i) => frame.Values[i] switch
        {
            float[] numbers => NamedOnnxValue.CreateFromTensor(f.Name, new DenseTensor<float>(numbers, [frame.Rows, 1])),
            string[] texts => NamedOnnxValue.CreateFromTensor(f.Name, new DenseTensor<string>(texts, [frame.Rows, 1])),
            _ => throw new InvalidOperationException($"Feature '{f.Name}' has no values."),
        }).ToList();
        using var results = _session.Run(inputs);
        var outputs = results.ToDictionary(r => r.Name, r => r, StringComparer.Ordinal);
        if (_task == TrainingTask.Regression)
        {
            return (new ScoredRows(_task, truth, [.. outputs[NamedOutputs.Prediction].AsEnumerable<float>().Select(v => (double)v)], null), []);
        }

        var labels = Labels(outputs[NamedOutputs.Label]);
        var maps = outputs[NamedOutputs.Probabilities].AsEnumerable<NamedOnnxValue>().Select(Map).ToList();
        var classes = _classes!;
        var values = _task == TrainingTask.Binary
            ? maps.Select(m => (double)m[classes[1]]).ToArray()
            : maps.SelectMany(m => classes.Select(c => (double)m[c])).ToArray();
        return (new ScoredRows(_task, truth, values, classes), labels);
    }

    private static string[] Labels(DisposableNamedOnnxValue label) => label.Value switch
    {
        Tensor<string> texts => [.. texts],
        Tensor<long> numbers => [.. numbers.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        _ => throw new InvalidOperationException("The label output is neither strings nor integers."),
    };

    private static Dictionary<string, float> Map(NamedOnnxValue value) => value.Value switch
    {
        IDictionary<string, float> texts => new Dictionary<string, float>(texts, StringComparer.Ordinal),
        IDictionary<long, float> numbers => numbers.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value, StringComparer.Ordinal),
        _ => throw new InvalidOperationException("The probabilities output is not a map per row."),
    };

    public void Dispose() => _session.Dispose();
}
