using System.Text.Json;
using Flywheel.Contracts;
using Flywheel.Contracts.Serving;

namespace Flywheel.Tests.Contracts;

public sealed class PredictionTests
{
    private static readonly JsonSerializerOptions s_json = FlywheelJson.CreateOptions();

    [Theory]
    [InlineData("""{"label":"setosa","probabilities":{"setosa":0.9,"versicolor":0.1}}""", PredictionKind.Label)]
    [InlineData("""{"label":1,"probabilities":{"0":0.25,"1":0.75}}""", PredictionKind.Label)]
    [InlineData("""{"label":"1","probabilities":{"0":0.25,"1":0.75}}""", PredictionKind.Label)]
    [InlineData("12.5", PredictionKind.Value)]
    [InlineData("null", PredictionKind.Value)]
    [InlineData("[1.5,null,3]", PredictionKind.Values)]
    [InlineData("""{"variable":[0.5],"extra":"x"}""", PredictionKind.Outputs)]
    [InlineData("""{"label":"a","probabilities":{"a":"high"}}""", PredictionKind.Outputs)]
    [InlineData("\"spam\"", PredictionKind.Outputs)]
    public void A_served_answer_reads_as_its_kind_and_writes_back_byte_for_byte(string json, PredictionKind kind)
    {
        var prediction = JsonSerializer.Deserialize<Prediction>(json, s_json)!;

        Assert.Equal(kind, prediction.Kind);
        Assert.Equal(json, JsonSerializer.Serialize(prediction, s_json));
    }

    [Fact]
    public void A_label_reads_as_text_whatever_its_json_type_and_keeps_its_probabilities()
    {
        var number = JsonSerializer.Deserialize<Prediction>("""{"label":1,"probabilities":{"0":0.25,"1":0.75}}""", s_json)!;
        var text = JsonSerializer.Deserialize<Prediction>("""{"label":"yes","probabilities":{"no":0.4,"yes":0.6}}""", s_json)!;

        Assert.Equal("1", number.Label);
        Assert.Equal(0.75, number.Probabilities!["1"]);
        Assert.Equal("yes", text.Label);
        Assert.Null(text.Value);
    }

    [Fact]
    public void A_response_reads_the_answering_version_and_every_row_in_order()
    {
        const string json = """{"model":{"name":"iris","version":3},"predictions":[{"label":"a","probabilities":{"a":1}},{"label":"b","probabilities":{"b":1}}]}""";

        var response = JsonSerializer.Deserialize<PredictionResponse>(json, s_json)!;

        Assert.Equal(new ServedVersion("iris", 3), response.Model);
        Assert.Equal(["a", "b"], response.Predictions.Select(p => p.Label));
        Assert.Equal(json, JsonSerializer.Serialize(response, s_json));
    }
}
