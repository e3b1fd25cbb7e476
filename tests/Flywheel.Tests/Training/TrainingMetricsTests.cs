using System.Text.Json;
using Flywheel.Contracts.Training;
using Flywheel.Training.Evaluation;

namespace Flywheel.Tests.Training;

/// <summary>Flywheel's metrics equal scikit-learn's on the cases scripts/fixtures/training_metrics.py generated (ties, an absent class).</summary>
public sealed class TrainingMetricsTests
{
    private const string FixturePath = "Training/Fixtures/metrics.json";

    public static TheoryData<string> Cases() => PeerFixtures.Names(FixturePath);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_equal_scikit_learns(string name)
    {
        var item = PeerFixtures.Case(FixturePath, name);
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
}
