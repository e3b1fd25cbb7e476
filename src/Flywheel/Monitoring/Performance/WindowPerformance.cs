using System.Globalization;
using System.Text.Json;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Training;
using Flywheel.Monitoring.Models;
using Flywheel.Training.Evaluation;

namespace Flywheel.Monitoring.Performance;

/// <summary>
/// Performance from ground truth: each logged answer joined to its feedback by request id (a batch's
/// feedback is an array, one actual per row), scored with training's metrics so the numbers mean
/// the same as the version's test metrics.
/// </summary>
public static class WindowPerformance
{
    /// <returns>Null when no answer has usable feedback.</returns>
    public static PerformanceResult? Measure(PredictionColumns shape, IReadOnlyList<(JsonElement Prediction, JsonElement Actual)> joined, IReadOnlyDictionary<string, double> registered)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(joined);
        ArgumentNullException.ThrowIfNull(registered);
        ScoredRows? rows = shape.Classes is { Count: >= 2 } classes ? Classified(classes, joined)
            : shape.Columns is [(PredictionColumns.Label, true)] ? Regressed(joined)
            : null;
        if (rows is null || rows.Rows == 0)
        {
            return null;
        }

        var metrics = TrainingMetrics.Compute(rows);
        var known = registered.Where(m => metrics.ContainsKey(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        return new PerformanceResult(rows.Rows, metrics, known);
    }

    private static ScoredRows Classified(IReadOnlyList<string> classes, IReadOnlyList<(JsonElement Prediction, JsonElement Actual)> joined)
    {
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var truth = new List<double>();
        var values = new List<double>();
        foreach (var (prediction, actual) in joined)
        {
            if (!index.TryGetValue(Text(actual), out var truthClass) || !prediction.TryGetProperty("probabilities", out var probabilities))
            {
                continue;
            }

            truth.Add(truthClass);
            if (classes.Count == 2)
            {
                values.Add(Probability(probabilities, classes[1]));
            }
            else
            {
                values.AddRange(classes.Select(c => Probability(probabilities, c)));
            }
        }

        return new ScoredRows(classes.Count == 2 ? TrainingTask.Binary : TrainingTask.Multiclass, [.. truth], [.. values], classes);
    }

    private static ScoredRows Regressed(IReadOnlyList<(JsonElement Prediction, JsonElement Actual)> joined)
    {
        var usable = joined.Where(j => j.Prediction.ValueKind == JsonValueKind.Number && j.Actual.ValueKind == JsonValueKind.Number).ToList();
        return new ScoredRows(TrainingTask.Regression, [.. usable.Select(j => j.Actual.GetDouble())], [.. usable.Select(j => j.Prediction.GetDouble())], null);
    }

    private static double Probability(JsonElement probabilities, string label) =>
        probabilities.TryGetProperty(label, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : 0;

    /// <summary>A label as text: strings as they are, numbers and booleans as JSON writes them (how class names read).</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : value.GetRawText(),
        _ => value.GetRawText(),
    };
}
