using System.Text.Json;
using Flywheel.Training;
using Flywheel.Training.Evaluation;

namespace Flywheel.Tests.Training;

/// <summary>Flywheel's metrics equal scikit-learn's on the cases scripts/fixtures/training_metrics.py generated (ties, an absent class).</summary>
public sealed class TrainingMetricsTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var item in Fixture().GetProperty("cases").EnumerateArray())
        {
            data.Add(item.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_equal_scikit_learns(string name)
    {
        var item = Fixture().GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var task = item.GetProperty("task").GetString() switch { "binary" => TrainingTask.Binary, "multiclass" => TrainingTask.Multiclass, _ => TrainingTask.Regression };
        var classes = item.GetProperty("classes") is { ValueKind: JsonValueKind.Array } c ? c.EnumerateArray().Select(v => v.GetString()!).ToList() : null;
        var rows = new ScoredRows(task,
            [.. item.GetProperty("truth").EnumerateArray().Select(v => v.GetDouble())],
            [.. item.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())], classes);

        var metrics = TrainingMetrics.Compute(rows);

        var expected = item.GetProperty("expected").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(expected.Keys.Order(), metrics.Keys.Order());
        foreach (var (metric, value) in expected)
        {
            Assert.True(Math.Abs(value - metrics[metric]) <= 1e-9, $"{name} {metric}: scikit-learn {value}, Flywheel {metrics[metric]}");
        }
    }

    private static JsonElement Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Training", "Fixtures", "metrics.json"))).RootElement;
}
