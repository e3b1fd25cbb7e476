using System.Collections;
using System.Text.Json;

namespace Flywheel.Serving.Outputs;

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

    /// <summary>A classifier's label output (one label per row), to read without making the rows' objects; null when this is not a classifier's.</summary>
    internal OutputValue? LabelOutput => _classifier?.Label;

    /// <summary>The row's answer: read from the outputs for a classifier or one number per row, else the row's object.</summary>
    internal RowAnswer Answer(int row)
    {
        if (_classifier is var (label, _))
        {
            return RowAnswer.OfLabel(label.LabelText(row));
        }

        return Single() is { } single && single.TryNumber(row, out var number) ? RowAnswer.OfNumber(number) : RowAnswer.OfValue(this[row]);
    }

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
                label.WriteElement(writer, row);
                writer.WritePropertyName(s_probabilities);
                WriteShares(writer, probabilities, row);
                writer.WriteEndObject();
            }
        }
        else if (Single() is { } single)
        {
            for (var row = 0; row < _rows; row++)
            {
                single.WriteElement(writer, row);
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

    /// <summary>The one output when it holds a single value per row (a regressor's), else null.</summary>
    private OutputValue? Single() =>
        _outputs.Count == 1 && _outputs[0] is { Maps: null, Items: null, IsTensor: true } single && single.Rows == _rows && single.RowWidth == 1 ? single : null;

    private static void WriteShares(Utf8JsonWriter writer, OutputValue probabilities, int row)
    {
        switch (probabilities.Maps)
        {
            case ClassShareRows maps:
                maps.WriteRow(writer, row);
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
}
