using System.Text.Json;
using Flywheel.Monitoring.Drift;

namespace Flywheel.Monitoring.Models;

/// <summary>
/// The columns a model's answers are monitored on, read from one answer's shape: a classifier's
/// <c>label</c> (categorical) and, with two classes, the second class's probability (numerical); a
/// regressor's number. Other shapes are not monitored (the report says so).
/// </summary>
public sealed record PredictionColumns(IReadOnlyList<(string Name, bool Numerical)> Columns, IReadOnlyList<string>? Classes)
{
    public const string Label = "prediction";

    public static string ProbabilityOf(string positive) => $"probability({positive})";

    /// <summary>Whether the answers are a binary classifier's (a label and two class probabilities).</summary>
    public bool Binary => Classes is { Count: 2 };

    public static PredictionColumns Of(JsonElement prediction)
    {
        if (prediction.ValueKind == JsonValueKind.Number)
        {
            return new([(Label, true)], null);
        }

        if (prediction.ValueKind == JsonValueKind.Object && prediction.TryGetProperty("label", out _))
        {
            var classes = prediction.TryGetProperty("probabilities", out var p) && p.ValueKind == JsonValueKind.Object
                ? p.EnumerateObject().Select(c => c.Name).ToList()
                : null;
            return classes is { Count: 2 } ? new([(Label, false), (ProbabilityOf(classes[1]), true)], classes) : new([(Label, false)], classes);
        }

        return new([], null);
    }

    /// <summary>Adds one answer's values to the samples (in <see cref="Columns"/> order).</summary>
    public void Add(JsonElement prediction, ColumnSample[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (Columns.Count == 0)
        {
            return;
        }

        if (prediction.ValueKind != JsonValueKind.Object)
        {
            // A regressor's number; anything else is missing.
            samples[0].Add(prediction.ValueKind == JsonValueKind.Number ? prediction : default);
            return;
        }

        samples[0].Add(prediction.TryGetProperty("label", out var label) ? label : default);
        if (Binary)
        {
            var p = prediction.TryGetProperty("probabilities", out var probabilities) && probabilities.TryGetProperty(Classes![1], out var positive) ? positive : default;
            samples[1].Add(p.ValueKind == JsonValueKind.Number ? p : default);
        }
    }
}
