using System.Collections;
using System.Text.Json;

namespace Flywheel.Serving;

/// <summary>
/// The predictions of one Run, one per row (<see cref="OutputShaper"/>'s shapes). The response
/// writes them straight from the outputs (<see cref="WriteTo"/>); the rows become objects only
/// when something reads them as a list (the prediction log, the shadow), which most requests
/// never do: a dictionary and a boxed label per row cost a single-record request more than its
/// parse. Both ways write the same bytes.
/// </summary>
public sealed class ShapedPredictions : IReadOnlyList<object?>
{
    private static readonly JsonEncodedText s_label = JsonEncodedText.Encode("label");
    private static readonly JsonEncodedText s_probabilities = JsonEncodedText.Encode("probabilities");

    private readonly IReadOnlyList<OutputValue> _outputs;
    private readonly int _rows;
    private readonly (OutputValue Label, OutputValue Probabilities)? _classifier;
    private object?[]? _objects;

    public ShapedPredictions(IReadOnlyList<OutputValue> outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        _outputs = outputs;
        _rows = rows;
        _classifier = OutputShaper.Classifier(outputs, rows);
    }

    public int Count => _rows;

    // Two threads reading at once (the response and the log) may both make the objects; either copy is the same.
    public object? this[int index] => (_objects ??= OutputShaper.Objects(_outputs, _rows))[index];

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)(_objects ??= OutputShaper.Objects(_outputs, _rows))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes the predictions as a JSON array, as <see cref="PredictionsJsonConverter"/> writes their objects.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        if (_classifier is var (label, probabilities))
        {
            for (var row = 0; row < _rows; row++)
            {
                writer.WriteStartObject();
                writer.WritePropertyName(s_label);
                WriteElement(writer, label, row);
                writer.WritePropertyName(s_probabilities);
                WriteShares(writer, probabilities, row);
                writer.WriteEndObject();
            }
        }
        else if (_outputs.Count == 1 && _outputs[0] is { Maps: null, Items: null, IsTensor: true } single && single.Rows == _rows && single.RowWidth == 1)
        {
            for (var row = 0; row < _rows; row++)
            {
                WriteElement(writer, single, row);
            }
        }
        else
        {
            foreach (var prediction in this)
            {
                PredictionsJsonConverter.WriteValue(writer, prediction);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteShares(Utf8JsonWriter writer, OutputValue probabilities, int row)
    {
        switch (probabilities.Maps)
        {
            case ClassShareRows maps:
                var classes = maps.Classes;
                var shares = maps.Shares.Slice(row * classes.Count, classes.Count);
                writer.WriteStartObject();
                for (var c = 0; c < classes.Count; c++)
                {
                    writer.WritePropertyName(classes[c]);
                    PredictionsJsonConverter.WriteNumber(writer, shares[c]);
                }

                writer.WriteEndObject();
                break;
            case { } maps:
                PredictionsJsonConverter.WriteValue(writer, maps[row]);
                break;
            default:
                var width = probabilities.RowWidth;
                writer.WriteStartObject();
                for (var c = 0; c < width; c++)
                {
                    writer.WritePropertyName(OutputValue.ClassLabel(c));
                    PredictionsJsonConverter.WriteNumber(writer, OutputShaper.ClassShare(probabilities, (row * width) + c));
                }

                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>One element as <see cref="OutputValue.Element"/> gives it (not finite: null), without boxing the common types.</summary>
    private static void WriteElement(Utf8JsonWriter writer, OutputValue output, long index)
    {
        switch (output.Data)
        {
            case float[] floats when float.IsFinite(floats[index]):
                writer.WriteNumberValue(floats[index]);
                break;
            case double[] doubles when double.IsFinite(doubles[index]):
                writer.WriteNumberValue(doubles[index]);
                break;
            case float[] or double[]:
                writer.WriteNullValue();
                break;
            case long[] longs:
                writer.WriteNumberValue(longs[index]);
                break;
            case int[] ints:
                writer.WriteNumberValue(ints[index]);
                break;
            case bool[] flags:
                writer.WriteBooleanValue(flags[index]);
                break;
            default:
                PredictionsJsonConverter.WriteValue(writer, output.Element(index));
                break;
        }
    }
}
