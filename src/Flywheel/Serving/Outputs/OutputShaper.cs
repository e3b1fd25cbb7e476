namespace Flywheel.Serving.Outputs;

/// <summary>
/// Turns a model's outputs into one prediction per row: classifiers (a label output plus
/// probabilities, as ZipMap maps or a [N, classes] tensor) give <c>{"label", "probabilities"}</c>;
/// a single numeric output gives a number per row (or an array for several targets); anything else
/// gives the named outputs of each row.
/// </summary>
public static class OutputShaper
{
    /// <summary>One prediction per row; the rows become objects only when something reads them as a list.</summary>
    public static ShapedPredictions Shape(IReadOnlyList<OutputValue> outputs, int rows) => new(outputs, rows);

    /// <summary>The classifier's pair of outputs: a label per row, and the class probabilities (ZipMap maps or a [N, classes] tensor).</summary>
    internal static (OutputValue Label, OutputValue Probabilities)? Classifier(IReadOnlyList<OutputValue> outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(outputs);

        // Loops, not LINQ: this runs on every request, and a lambda that reads the label is an allocation each time.
        OutputValue? label = null, maps = null, tensor = null;
        foreach (var o in outputs)
        {
            if (label is null && o.IsTensor && o.Name.Contains("label", StringComparison.OrdinalIgnoreCase) && o.RowWidth == 1)
            {
                label = o;
            }

            maps ??= o.Maps is not null ? o : null;
        }

        foreach (var o in outputs)
        {
            if (tensor is null && o != label && o.IsTensor && o.Name.Contains("prob", StringComparison.OrdinalIgnoreCase) && o.Shape.Length == 2)
            {
                tensor = o;
            }
        }

        var probabilities = maps ?? tensor;
        return label is not null && probabilities is not null && label.Rows == rows && probabilities.Rows == rows ? (label, probabilities) : null;
    }

    /// <summary>Every row as an object: what <see cref="ShapedPredictions"/> reads as a list.</summary>
    internal static object?[] Objects(IReadOnlyList<OutputValue> outputs, int rows)
    {
        var predictions = new object?[rows];
        if (Classifier(outputs, rows) is var (label, probabilities))
        {
            for (var row = 0; row < rows; row++)
            {
                predictions[row] = new Dictionary<string, object?>
                {
                    ["label"] = label.Element(row),
                    ["probabilities"] = probabilities.Maps is { } maps ? maps[row] : ClassShares(probabilities, row),
                };
            }

            return predictions;
        }

        if (outputs.Count == 1 && outputs[0].Maps is null && outputs[0].Rows == rows)
        {
            for (var row = 0; row < rows; row++)
            {
                predictions[row] = RowValue(outputs[0], row);
            }

            return predictions;
        }

        for (var row = 0; row < rows; row++)
        {
            var named = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var output in outputs)
            {
                // An output without a batch dimension belongs to the whole request, not to a row.
                named[output.Name] = output.Rows == rows ? RowValue(output, row) : Whole(output);
            }

            predictions[row] = named;
        }

        return predictions;
    }

    /// <summary>One row of an output: a scalar when a row holds one value, else (nested) arrays in the output's shape; a sequence's item.</summary>
    public static object? RowValue(OutputValue output, int row)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Maps is not null)
        {
            return output.Maps[row];
        }

        if (output.Items is not null)
        {
            return Whole(output.Items[row]);
        }

        var width = output.RowWidth;
        return width == 1 ? output.Element(row) : Nest(output, row * width, output.Shape.AsSpan(1).ToArray());
    }

    private static Dictionary<string, double> ClassShares(OutputValue probabilities, int row)
    {
        var classes = probabilities.RowWidth;
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var c = 0; c < classes; c++)
        {
            shares[OutputValue.ClassLabel(c)] = ClassShare(probabilities, (row * classes) + c);
        }

        return shares;
    }

    /// <summary>A class's probability in a [N, classes] tensor; a value that is not finite reads as 0.</summary>
    internal static double ClassShare(OutputValue probabilities, long index) =>
        Convert.ToDouble(probabilities.Element(index), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An output as one value: a scalar, (nested) arrays in its shape, a list of maps, or a list of its items.</summary>
    public static object? Whole(OutputValue output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Maps ?? (object?)output.Items?.Select(Whole).ToList()
            ?? (output.Shape.Length == 0 ? output.Element(0) : Nest(output, 0, output.Shape));
    }

    private static List<object?> Nest(OutputValue output, long offset, long[] shape)
    {
        var list = new List<object?>((int)shape[0]);
        var inner = shape.Length == 1 ? 1 : shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        for (var i = 0; i < shape[0]; i++)
        {
            list.Add(shape.Length == 1 ? output.Element(offset + i) : Nest(output, offset + (i * inner), shape[1..]));
        }

        return list;
    }
}
