using System.Text.Json;
using Flywheel.Serving.Observation;

namespace Flywheel.Tests.Serving;

public sealed class PredictionsJsonConverterTests
{
    [Fact]
    public void Predictions_are_written_as_the_serializer_would_including_non_finite_numbers_and_nested_shapes()
    {
        IReadOnlyList<object?> predictions =
        [
            new Dictionary<string, object?> { ["label"] = 1L, ["probabilities"] = new Dictionary<string, double> { ["0"] = 0.25, ["1"] = double.NaN } },
            3.5f,
            new List<object?> { 1, "a", true, null, new List<object?> { 2.5 } },
            new Dictionary<string, double?> { ["0"] = null, ["1"] = 0.5 },
            (short)7,
        ];
        var record = new PredictionRecord("r", "m", 1, DateTimeOffset.UnixEpoch, 1, JsonDocument.Parse("{}").RootElement, predictions);

        var json = JsonSerializer.Serialize(record, Json.Options);
        var expected = JsonSerializer.Serialize(predictions.ToList(), Json.Options);
        using var written = JsonDocument.Parse(json);

        Assert.Equal(expected, written.RootElement.GetProperty("outputs").GetRawText());
        Assert.Equal("NaN", written.RootElement.GetProperty("outputs")[0].GetProperty("probabilities").GetProperty("1").GetString());
    }
}
