using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Serving;

/// <summary>What one row's answer is, read from the shape the model's outputs gave it.</summary>
public enum PredictionKind
{
    /// <summary>A classifier's label and class probabilities: <c>{"label": ..., "probabilities": {...}}</c>.</summary>
    Label,

    /// <summary>A regressor's one number (null on the wire for a value that is not finite).</summary>
    Value,

    /// <summary>Several numbers per row: a model with several targets.</summary>
    Values,

    /// <summary>Anything else: each output of the row by name, as written (a row that is one value that is not a number, such as a string, sits under the empty name).</summary>
    Outputs,
}

/// <summary>
/// One row's answer, typed: a classifier's <see cref="Label"/> and <see cref="Probabilities"/>, a regressor's
/// <see cref="Value"/> (or <see cref="Values"/> for several targets), or the row's named <see cref="Outputs"/>.
/// Written back exactly as read: a label keeps its JSON type (a number stays a number, <c>"1"</c> stays a string).
/// </summary>
[JsonConverter(typeof(PredictionJsonConverter))]
public sealed record Prediction
{
    public required PredictionKind Kind { get; init; }

    /// <summary>The predicted label as JSON (a string, or a number for integer labels); null unless <see cref="Kind"/> is <see cref="PredictionKind.Label"/>.</summary>
    public JsonElement? LabelValue { get; init; }

    /// <summary>The predicted label as text, whatever its JSON type; null unless a label.</summary>
    [JsonIgnore]
    public string? Label => LabelValue switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
        null => null,
    };

    /// <summary>Each class's probability, by the class's label text.</summary>
    public IReadOnlyDictionary<string, double>? Probabilities { get; init; }

    /// <summary>The regressor's number; null for a value that is not finite.</summary>
    public double? Value { get; init; }

    public IReadOnlyList<double?>? Values { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Outputs { get; init; }

    public static Prediction OfLabel(JsonElement label, IReadOnlyDictionary<string, double> probabilities) =>
        new() { Kind = PredictionKind.Label, LabelValue = label.Clone(), Probabilities = probabilities };

    public static Prediction OfValue(double? value) => new() { Kind = PredictionKind.Value, Value = value };

    public static Prediction OfValues(IReadOnlyList<double?> values) => new() { Kind = PredictionKind.Values, Values = values };

    public static Prediction OfOutputs(IReadOnlyDictionary<string, JsonElement> outputs) => new() { Kind = PredictionKind.Outputs, Outputs = outputs };
}

/// <summary>Reads and writes <see cref="Prediction"/> in the shape the serving routes answer with, one JSON value per row.</summary>
public sealed class PredictionJsonConverter : JsonConverter<Prediction>
{
    public override bool HandleNull => true;

    public override Prediction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return From(document.RootElement);
    }

    /// <summary>Types one row's answer from its JSON.</summary>
    public static Prediction From(JsonElement row) => row.ValueKind switch
    {
        JsonValueKind.Null => Prediction.OfValue(null),
        JsonValueKind.Number => Prediction.OfValue(row.GetDouble()),
        JsonValueKind.Array when row.EnumerateArray().All(v => v.ValueKind is JsonValueKind.Number or JsonValueKind.Null) =>
            Prediction.OfValues([.. row.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())]),
        JsonValueKind.Object when IsClassifier(row, out var label, out var probabilities) => Prediction.OfLabel(label, probabilities),
        JsonValueKind.Object => Prediction.OfOutputs(row.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)),
        _ => Prediction.OfOutputs(new Dictionary<string, JsonElement>(StringComparer.Ordinal) { [string.Empty] = row.Clone() }),
    };

    private static bool IsClassifier(JsonElement row, out JsonElement label, out IReadOnlyDictionary<string, double> probabilities)
    {
        probabilities = new Dictionary<string, double>();
        if (!row.TryGetProperty("label", out label) || !row.TryGetProperty("probabilities", out var shares)
            || shares.ValueKind != JsonValueKind.Object || row.EnumerateObject().Count() != 2
            || shares.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Number))
        {
            return false;
        }

        probabilities = shares.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        return true;
    }

    public override void Write(Utf8JsonWriter writer, Prediction value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case PredictionKind.Label:
                writer.WriteStartObject();
                writer.WritePropertyName("label");
                (value.LabelValue ?? default).WriteTo(writer);
                writer.WriteStartObject("probabilities");
                foreach (var (label, share) in value.Probabilities ?? new Dictionary<string, double>())
                {
                    writer.WriteNumber(label, share);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case PredictionKind.Value:
                WriteNumber(writer, value.Value);
                break;
            case PredictionKind.Values:
                writer.WriteStartArray();
                foreach (var number in value.Values ?? [])
                {
                    WriteNumber(writer, number);
                }

                writer.WriteEndArray();
                break;
            default:
                if (value.Outputs is { Count: 1 } single && single.ContainsKey(string.Empty))
                {
                    single[string.Empty].WriteTo(writer);
                    break;
                }

                writer.WriteStartObject();
                foreach (var (name, output) in value.Outputs ?? new Dictionary<string, JsonElement>())
                {
                    writer.WritePropertyName(name);
                    output.WriteTo(writer);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double? number)
    {
        if (number is { } n && double.IsFinite(n))
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>The model and version that answered a records request.</summary>
public sealed record ServedVersion(string Name, int Version);

/// <summary>
/// The answer of <c>POST api/models/{name}/predict</c> (JSON records, MLflow JSON or CSV in): the version that
/// answered and one <see cref="Prediction"/> per row, in the request's order. The request id and the columns
/// left out come back as headers.
/// </summary>
public sealed record PredictionResponse(ServedVersion Model, IReadOnlyList<Prediction> Predictions);
