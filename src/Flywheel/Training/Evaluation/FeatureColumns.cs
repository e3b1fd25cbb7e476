using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Flywheel.Training.Evaluation;

/// <summary>
/// The raw values of a frame's rows, one array per feature (floats for numbers, NaN when missing;
/// strings for categories) as an exported model takes them, and the raw label (a string, or a
/// float for regression).
/// </summary>
public sealed class FeatureColumns
{
    private FeatureColumns(IReadOnlyList<FeatureSpec> features, Array[] values, Array labels)
    {
        Features = features;
        Values = values;
        Labels = labels;
    }

    public IReadOnlyList<FeatureSpec> Features { get; }

    /// <summary>One array per feature, in <see cref="Features"/> order.</summary>
    public Array[] Values { get; }

    /// <summary>The label of each row: strings (classification) or floats (regression).</summary>
    public Array Labels { get; }

    public int Rows => Labels.Length;

    public static FeatureColumns Read(TrainingPlan plan, string csv) => Read(new MLContext(seed: plan?.Request.Seed ?? 0), plan!, csv);

    public static FeatureColumns Read(MLContext context, TrainingPlan plan, string csv)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(plan);
        var data = CandidateTrainer.Load(context, plan, csv);
        var values = plan.Features.Select(f => f.Kind == FeatureKind.Numeric ? (Array)Floats(data, f.Name) : Strings(data, f.Name)).ToArray();
        var label = plan.Request.Label;
        return new FeatureColumns(plan.Features, values, plan.Task == TrainingTask.Regression ? Floats(data, label) : Strings(data, label));
    }

    /// <summary>The same rows with feature <paramref name="index"/>'s values shuffled among them (permutation importance).</summary>
    public FeatureColumns Permuted(int index, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var values = (Array[])Values.Clone();
        var shuffled = (Array)values[index].Clone();
        switch (shuffled)
        {
            case float[] numbers:
                random.Shuffle(numbers);
                break;
            case string[] texts:
                random.Shuffle(texts);
                break;
        }

        values[index] = shuffled;
        return new FeatureColumns(Features, values, Labels);
    }

    /// <summary>The rows as a <c>dataframe_split</c> prediction request, as a caller would send them (missing numbers as null).</summary>
    public JsonElement ToDataframeSplit()
    {
        var rows = new object?[Rows][];
        for (var row = 0; row < Rows; row++)
        {
            rows[row] = new object?[Features.Count];
            for (var f = 0; f < Features.Count; f++)
            {
                rows[row][f] = Values[f] switch
                {
                    float[] numbers => float.IsNaN(numbers[row]) ? null : numbers[row],
                    string[] texts => texts[row],
                    _ => null,
                };
            }
        }

        return JsonSerializer.SerializeToElement(new { dataframe_split = new { columns = Features.Select(f => f.Name), data = rows } });
    }

    private static float[] Floats(IDataView data, string column) => [.. data.GetColumn<float>(column)];

    private static string[] Strings(IDataView data, string column) => [.. data.GetColumn<ReadOnlyMemory<char>>(column).Select(v => v.ToString())];
}
