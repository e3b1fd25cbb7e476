using System.Buffers;
using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flywheel.Serving.Outputs;

/// <summary>
/// Writes predictions (numbers, strings, booleans, lists, class-to-probability maps: the closed set
/// <see cref="OutputShaper"/> produces) by walking them directly. The serializer's polymorphic
/// <c>object</c> path cost more than scoring on small requests and most of the prediction log's
/// flush on large ones. Non-finite numbers keep the serializer's named literals ("NaN").
/// </summary>
public sealed class PredictionsJsonConverter : JsonConverter<IReadOnlyList<object?>>
{
    public override IReadOnlyList<object?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<List<JsonElement>>(ref reader, options)?.Select(e => (object?)e).ToList();

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<object?> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value is ShapedPredictions shaped)
        {
            shaped.WriteTo(writer);
            return;
        }

        writer.WriteStartArray();
        foreach (var prediction in value)
        {
            WriteValue(writer, prediction);
        }

        writer.WriteEndArray();
    }

    /// <summary>The predictions as UTF-8 JSON, e.g. to compare two models' answers.</summary>
    public static byte[] ToUtf8(IReadOnlyList<object?> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            new PredictionsJsonConverter().Write(writer, predictions, Json.Options);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
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
            case JsonElement element:
                element.WriteTo(writer);
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

    /// <summary>A number; one that is not finite as the serializer's named literal ("NaN").</summary>
    internal static void WriteNumber(Utf8JsonWriter writer, double value)
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
