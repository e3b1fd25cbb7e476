using System.Text.Json;
using Flywheel.Contracts.Training;
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

    /// <summary>The rows whose <paramref name="keep"/> is true, in order.</summary>
    public FeatureColumns Where(bool[] keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        if (keep.Length != Rows)
        {
            throw new ArgumentException($"{keep.Length} flags for {Rows} rows.", nameof(keep));
        }

        static Array Pick(Array column, bool[] keep) => column switch
        {
            float[] numbers => numbers.Where((_, i) => keep[i]).ToArray(),
            string[] texts => texts.Where((_, i) => keep[i]).ToArray(),
            _ => throw new InvalidOperationException($"A column of {column.GetType().Name}."),
        };

        return new FeatureColumns(Features, [.. Values.Select(v => Pick(v, keep))], Pick(Labels, keep));
    }

    /// <summary>The same rows with only the features <paramref name="names"/> lists (the columns another model takes), in this frame's order.</summary>
    public FeatureColumns Only(IReadOnlySet<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var keep = Features.Select((f, i) => (f, i)).Where(p => names.Contains(p.f.Name)).ToList();
        return new FeatureColumns([.. keep.Select(p => p.f)], [.. keep.Select(p => Values[p.i])], Labels);
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
