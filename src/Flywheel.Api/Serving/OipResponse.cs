using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Tensors;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Serving;

/// <summary>
/// Writes an Open Inference Protocol answer, <c>{"model_name", "model_version", "id", "outputs": [{"name",
/// "shape", "datatype", "data"}]}</c>, straight into the response pipe: tensor data from the output
/// arrays, without boxing each element and serializing anonymous objects (which cost an infer request
/// more than its Run). Non-tensor outputs (ZipMap's maps, other sequences) travel as BYTES, one JSON
/// text per row. The bytes are those the serializer wrote with <paramref name="options"/> (relaxed
/// escaping; no id when the request had none; elements that are not finite as null).
/// </summary>
public sealed class OipResponse(string model, int version, string? id, IReadOnlyList<OutputValue> outputs, JsonSerializerOptions options) : IResult
{
    private static readonly JsonEncodedText s_modelName = JsonEncodedText.Encode("model_name");
    private static readonly JsonEncodedText s_modelVersion = JsonEncodedText.Encode("model_version");
    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText s_outputs = JsonEncodedText.Encode("outputs");
    private static readonly JsonEncodedText s_name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText s_shape = JsonEncodedText.Encode("shape");
    private static readonly JsonEncodedText s_datatype = JsonEncodedText.Encode("datatype");
    private static readonly JsonEncodedText s_data = JsonEncodedText.Encode("data");

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        // Left for Kestrel to flush when the request completes, as PredictionResponse.
        var writer = ResponseJsonWriters.Rent(response.BodyWriter, options.Encoder);
        Write(writer);
        ResponseJsonWriters.Return(writer);
        return Task.CompletedTask;
    }

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString(s_modelName, model);
        writer.WriteString(s_modelVersion, version.ToString(CultureInfo.InvariantCulture));
        if (id is not null)
        {
            writer.WriteString(s_id, id);
        }

        writer.WriteStartArray(s_outputs);
        foreach (var output in outputs)
        {
            writer.WriteStartObject();
            writer.WriteString(s_name, output.Name);
            writer.WriteStartArray(s_shape);
            if (output.IsTensor)
            {
                foreach (var dimension in output.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }
            }
            else
            {
                writer.WriteNumberValue(output.Rows);
            }

            writer.WriteEndArray();
            writer.WriteString(s_datatype, output.IsTensor ? OipDatatypes.Datatype(output.ElementType) : "BYTES");
            writer.WritePropertyName(s_data);
            if (output.IsTensor)
            {
                WriteTensor(writer, output);
            }
            else
            {
                WriteItems(writer, output);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTensor(Utf8JsonWriter writer, OutputValue output)
    {
        writer.WriteStartArray();
        for (var i = 0; i < output.Data!.Length; i++)
        {
            output.WriteElement(writer, i);
        }

        writer.WriteEndArray();
    }

    // One row's map (or item) as its own JSON text; a class share that is not finite takes the serializer, as before.
    private void WriteItems(Utf8JsonWriter writer, OutputValue output)
    {
        writer.WriteStartArray();
        var (text, item) = ResponseJsonWriters.Scratch(options.Encoder);
        for (var row = 0; row < (int)output.Rows; row++)
        {
            text.ResetWrittenCount();
            item.Reset();
            if (output.Maps is ClassShareRows maps && AllFinite(maps.Shares.Slice(row * maps.Classes.Count, maps.Classes.Count)))
            {
                maps.WriteRow(item, row);
            }
            else
            {
                JsonSerializer.Serialize(item, OutputShaper.RowValue(output, row), options);
            }

            item.Flush();
            writer.WriteStringValue(text.WrittenSpan);
        }

        writer.WriteEndArray();
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
