using System.Net;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// A value beyond its input's element type (int64 past 2^63, float16 past ±65,504, int8 past 127...)
/// is a 400 naming the input on every protocol, as float and double already were: never clamped to
/// the type's edge, never infinity.
/// </summary>
public sealed class InputRangeTests
{
    public static TheoryData<int, string, string> OutOfRange() => new()
    {
        { OnnxGraph.Int64, "INT64", "9223372036854775808" },
        { OnnxGraph.Int64, "INT64", "1e30" },
        { OnnxGraph.Int64, "INT64", "-9223372036854775809" },
        { OnnxGraph.Int64, "INT64", "-1e19" },
        { OnnxGraph.Float16, "FP16", "65520" },
        { OnnxGraph.Float16, "FP16", "1e5" },
        { OnnxGraph.Float16, "FP16", "-70000" },
        { OnnxGraph.Int32, "INT32", "2147483648" },
        { OnnxGraph.Int16, "INT16", "-32769" },
        { OnnxGraph.Int8, "INT8", "128" },
        { OnnxGraph.UInt8, "UINT8", "256" },
        { OnnxGraph.UInt8, "UINT8", "-1" },
        { OnnxGraph.Float, "FP32", "1e39" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task A_value_beyond_its_type_is_a_400_naming_the_input_on_every_protocol(int elementType, string datatype, string value)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "ranges", Widening(elementType));

        foreach (var (protocol, url, body, contentType) in Requests(datatype, value))
        {
            var (status, answer) = await FeatureNameBindingTests.SendAsync(client, url, body, contentType);

            Assert.True(status == HttpStatusCode.BadRequest, $"{protocol}: {(int)status} {answer}");
            var message = (answer.TryGetProperty("detail", out var detail) ? detail : answer.GetProperty("error")).GetString()!;
            Assert.Contains("'x'", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(OnnxGraph.Int64, "INT64", "9223372036854775807", 9223372036854775807d)]
    [InlineData(OnnxGraph.Int64, "INT64", "-9223372036854775808", -9223372036854775808d)]
    [InlineData(OnnxGraph.Int64, "INT64", "1e15", 1e15)]
    [InlineData(OnnxGraph.Float16, "FP16", "65504", 65504d)]
    [InlineData(OnnxGraph.Float16, "FP16", "-65504", -65504d)]
    [InlineData(OnnxGraph.UInt8, "UINT8", "255", 255d)]
    [InlineData(OnnxGraph.Int8, "INT8", "-128", -128d)]
    public async Task A_value_at_the_edge_of_its_type_still_scores_on_every_protocol(int elementType, string datatype, string value, double expected)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "edges", Widening(elementType));

        foreach (var (protocol, url, body, contentType) in Requests(datatype, value))
        {
            var (status, answer) = await FeatureNameBindingTests.SendAsync(client, url.Replace("ranges", "edges", StringComparison.Ordinal), body, contentType);

            Assert.True(status == HttpStatusCode.OK, $"{protocol}: {(int)status} {answer}");
            var scored = answer.TryGetProperty("predictions", out var predictions) ? predictions[0] : answer.GetProperty("outputs")[0].GetProperty("data")[0];
            Assert.Equal(expected, scored.ValueKind == System.Text.Json.JsonValueKind.Array ? scored[0].GetDouble() : scored.GetDouble());
        }
    }

    /// <summary>One [N, 1] input 'x' of <paramref name="elementType"/>, cast to double: the value scored is the value bound.</summary>
    private static byte[] Widening(int elementType) =>
        new OnnxGraph("x", width: 1, opset: 13, elementType).Node("Cast", "x", "y", ("to", OnnxGraph.Double)).TensorOutput("y", OnnxGraph.Double).ToBytes();

    private static IEnumerable<(string Protocol, string Url, string Body, string ContentType)> Requests(string datatype, string value)
    {
        const string Json = "application/json";
        yield return ("records", "api/models/ranges/predict", $$$"""{"records":[{"x":{{{value}}}}]}""", Json);
        yield return ("records-array-cell", "api/models/ranges/predict", $$$"""{"records":[{"x":[{{{value}}}]}]}""", Json);
        yield return ("dataframe_split", "api/models/ranges/predict", $$$"""{"dataframe_split":{"columns":["x"],"data":[[{{{value}}}]]}}""", Json);
        yield return ("dataframe_records", "api/models/ranges/predict", $$$"""{"dataframe_records":[{"x":{{{value}}}}]}""", Json);
        yield return ("instances", "api/models/ranges/predict", $$$"""{"instances":[[{{{value}}}]]}""", Json);
        yield return ("inputs", "api/models/ranges/predict", $$$"""{"inputs":[[{{{value}}}]]}""", Json);
        yield return ("pinned", "api/models/ranges/versions/1/predict", $$$"""{"records":[{"x":{{{value}}}}]}""", Json);
        yield return ("oip", "v2/models/ranges/infer", $$$"""{"inputs":[{"name":"x","shape":[1,1],"datatype":"{{{datatype}}}","data":[{{{value}}}]}]}""", Json);
        yield return ("csv", "api/models/ranges/predict", $"x\n{value}\n", "text/csv");
    }
}
