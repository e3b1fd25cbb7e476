using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flywheel.Api.Serving;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Tensors;

namespace Flywheel.Tests.Serving;

public sealed class OipResponseTests
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TheoryData<string?> Ids => new() { null, "req-1", "quote\" <tag> é" };

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_answer_is_written_with_the_bytes_the_serializer_wrote_for_every_kind_of_output(string? id)
    {
        IReadOnlyList<OutputValue> outputs =
        [
            new("output_label", "int64", [2], new[] { 1L, -7L }, null),
            new("output_probability", "map", [2], null, new ClassShareRows(["0", "b\"<"], [0.25, 0.75, 1, 0])),
            new("scores", "float", [2, 2], new[] { 0.5f, float.NaN, float.NegativeInfinity, 3.4028235e38f }, null),
            new("doubles", "double", [3], new[] { 1e-300, double.NaN, -0.0 }, null),
            new("names", "string", [2], new[] { "a", "é\"\n" }, null),
            new("flags", "bool", [2], new[] { true, false }, null),
            new("small", "int32", [1, 2], new[] { 3, -4 }, null),
            new("bytes", "uint8", [2], new byte[] { 0, 255 }, null),
            new("scalar", "double", [], new[] { 2.5 }, null),
            new("maps", "map", [1], null, [new Dictionary<string, double> { ["x"] = 0.5 }]),
            new("seq", "sequence", [2], null, null, [new("t", "float", [2], new[] { 1f, 2f }, null), new("t", "float", [1], new[] { 3f }, null)]),
        ];

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = s_json.Encoder }))
        {
            new OipResponse("iris", 12, id, outputs, s_json).Write(writer);
        }

        Assert.Equal(Serialized("iris", 12, id, outputs), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    // The answer as the endpoint serialized it before it was written directly: anonymous objects, boxed elements.
    private static string Serialized(string name, int version, string? id, IReadOnlyList<OutputValue> outputs) => JsonSerializer.Serialize(new
    {
        model_name = name,
        model_version = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        id,
        outputs = outputs.Select(output => output.IsTensor
            ? (object)new { name = output.Name, shape = output.Shape, datatype = OipDatatypes.Datatype(output.ElementType), data = Enumerable.Range(0, output.Data!.Length).Select(i => output.Element(i)).ToArray() }
            : new { name = output.Name, shape = new[] { output.Rows }, datatype = "BYTES", data = Enumerable.Range(0, (int)output.Rows).Select(row => JsonSerializer.Serialize(OutputShaper.RowValue(output, row), s_json)).ToArray() }).ToArray(),
    }, s_json);
}
