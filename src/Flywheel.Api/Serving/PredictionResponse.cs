using System.Collections;
using System.Text.Json;
using Flywheel.Serving;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Serving;

/// <summary>
/// Writes <c>{"model":{"name","version"},"predictions":[...]}</c> straight into the response pipe.
/// Predictions are a closed set of shapes (numbers, strings, booleans, lists, class-to-probability
/// maps); walking them here costs a fraction of the serializer's polymorphic <c>object</c> path,
/// which showed up as the largest cost after ONNX Runtime itself on one-record requests.
/// </summary>
public sealed class PredictionResponse(PredictionResult result) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("model");
            writer.WriteString("name", result.Model);
            writer.WriteNumber("version", result.Version);
            writer.WriteEndObject();
            writer.WritePropertyName("predictions");
            writer.WriteStartArray();
            foreach (var prediction in result.Predictions)
            {
                WriteValue(writer, prediction);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case float single:
                WriteNumber(writer, single);
                break;
            case double number:
                WriteNumber(writer, number);
                break;
            case long integer:
                writer.WriteNumberValue(integer);
                break;
            case int integer:
                writer.WriteNumberValue(integer);
                break;
            case IReadOnlyDictionary<string, double> shares:
                writer.WriteStartObject();
                foreach (var (key, share) in shares)
                {
                    writer.WritePropertyName(key);
                    WriteNumber(writer, share);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyDictionary<string, double?> shares:
                writer.WriteStartObject();
                foreach (var (key, share) in shares)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, share);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyDictionary<string, object?> named:
                writer.WriteStartObject();
                foreach (var (key, item) in named)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IList list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                // Anything else (other integer widths, maps of other shapes) takes the serializer's path.
                JsonSerializer.Serialize(writer, value, value.GetType(), Json.Options);
                break;
        }
    }

    // Non-finite values keep the serializer's named literals ("NaN", "Infinity") so both paths agree.
    private static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            JsonSerializer.Serialize(writer, value, Json.Options);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            JsonSerializer.Serialize(writer, value, Json.Options);
        }
    }
}
