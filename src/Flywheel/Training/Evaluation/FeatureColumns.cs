using Microsoft.ML;
using Microsoft.ML.Data;

namespace Flywheel.Training.Evaluation;

/// <summary>The raw feature values of a frame's rows, one array per feature (floats for numbers, strings for categories), as an exported model takes them.</summary>
public sealed class FeatureColumns
{
    private FeatureColumns(IReadOnlyList<FeatureSpec> features, Array[] values, int rows)
    {
        Features = features;
        Values = values;
        Rows = rows;
    }

    public IReadOnlyList<FeatureSpec> Features { get; }

    /// <summary>One array per feature, in <see cref="Features"/> order.</summary>
    public Array[] Values { get; }

    public int Rows { get; }

    public static FeatureColumns Read(FittedCandidate candidate, TrainingPlan plan, string csv)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(plan);
        var data = candidate.Prepare(plan, csv);
        var values = plan.Features.Select(f => f.Kind == FeatureKind.Numeric
            ? (Array)data.GetColumn<float>(f.Name).ToArray()
            : data.GetColumn<ReadOnlyMemory<char>>(f.Name).Select(v => v.ToString()).ToArray()).ToArray();
        return new FeatureColumns(plan.Features, values, values.Length == 0 ? 0 : values[0].Length);
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
        return new FeatureColumns(Features, values, Rows);
    }
}
