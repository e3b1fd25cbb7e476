using System.Globalization;
using System.Text.Json;
using Flywheel.Contracts.Registry;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Records;

/// <summary>
/// Decides how a <see cref="RecordBatch"/> feeds a model's inputs, checks it fits the signature,
/// and builds the tensors for any slice of rows:
/// <list type="bullet">
/// <item>one input per column (skl2onnx pipelines): a [N,1] (or [N]) tensor per column;</item>
/// <item>one [N,F] input: the columns in the order of the feature names recorded at registration;</item>
/// <item>tensor rows (instances/inputs as arrays): each row a nested array of the input's other dimensions.</item>
/// </list>
/// Records columns the model does not take are refused, or with <see cref="ExtraColumns.Ignore"/>
/// left out and listed in <see cref="Ignored"/>; a column the model names is never left out.
/// </summary>
public sealed class InputBinder
{
    private readonly ModelSignature _signature;
    private readonly InputPlan _plan;
    private readonly RecordBatch _batch;
    private readonly Mode _mode;
    private readonly IReadOnlyList<string>? _features;

    public InputBinder(InputPlan plan, RecordBatch batch, ExtraColumns extraColumns = ExtraColumns.Reject)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(batch);
        _plan = plan;
        var signature = _signature = plan.Signature;
        var featureNames = plan.FeatureNames;
        _batch = batch;
        if (plan.Unsupported is { } unsupported)
        {
            throw new PredictionInputException(unsupported);
        }

        if (batch.Records is not null && plan.BindsPerColumn(batch.Columns))
        {
            _mode = Mode.PerColumn;
            Ignored = Require(batch.Columns, plan.InputNames, plan.InputOrder, extraColumns);
        }
        else if (batch.Records is not null)
        {
            var input = signature.Inputs[0];
            if (input.Shape!.Count != 2)
            {
                throw new PredictionInputException($"Input '{input.Name}' has shape {Shape(input.Shape)}: send rows as nested arrays in 'instances' or 'inputs'.");
            }

            if (featureNames is not { Count: > 0 })
            {
                // Without feature names the only order is the one the keys came in: a reordered row would score differently.
                var extra = extraColumns == ExtraColumns.Ignore ? " (nor which are extra, so extraColumns=ignore leaves none out)" : string.Empty;
                throw new MissingFeatureNamesException(
                    $"Input '{input.Name}' takes one {Shape(input.Shape)} matrix and this version has no registered feature names, so the columns "
                    + $"{string.Join(", ", batch.Columns.Take(20).Select(c => $"'{c}'"))} cannot be matched to its positions{extra}: {MissingFeatureNamesException.HowToRegister}, "
                    + $"name the input itself ({{\"{input.Name}\": [...]}} per record), or send rows by position (\"instances\" or \"inputs\" arrays, or the Open Inference Protocol).");
            }

            _features = featureNames;
            if (input.Shape[1] > 0 && _features.Count != input.Shape[1])
            {
                throw new PredictionInputException($"Input '{input.Name}' takes {input.Shape[1]} features per row; the registered feature names list {_features.Count}.");
            }

            _mode = Mode.FeatureMatrix;
            Ignored = Require(batch.Columns, plan.FeatureSet!, _features, extraColumns);
        }
        else
        {
            if (signature.Inputs.Count != 1)
            {
                throw new PredictionInputException($"The model has {signature.Inputs.Count} inputs ({string.Join(", ", signature.Inputs.Select(i => i.Name))}): send records with one field per input.");
            }

            _mode = Mode.Tensor;
        }
    }

    private enum Mode
    {
        PerColumn,
        FeatureMatrix,
        Tensor,
    }

    /// <summary>The records columns left out (<see cref="ExtraColumns.Ignore"/>), in the order they first appear; empty when none were.</summary>
    public IReadOnlyList<string> Ignored { get; } = [];

    /// <summary>True when an input's batch dimension is fixed at 1 (legacy exports): rows must go one Run each.</summary>
    public bool RowByRow => _signature.Inputs.Any(i => i.Shape!.Count > 0 && i.Shape[0] == 1) && _batch.Count > 1;

    /// <summary>The input tensors for rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>; the caller disposes them after the Run.</summary>
    public ModelInputs Bind(int start, int count) => ModelInputs.Build(inputs =>
    {
        switch (_mode)
        {
            case Mode.PerColumn:
                foreach (var input in _signature.Inputs)
                {
                    inputs.Add(input.Name, BindColumn(input, start, count));
                }

                break;
            case Mode.FeatureMatrix:
                inputs.Add(_signature.Inputs[0].Name, BindFeatures(_signature.Inputs[0], start, count));
                break;
            default:
                inputs.Add(_signature.Inputs[0].Name, BindTensor(_signature.Inputs[0], start, count));
                break;
        }
    });

    private OrtValue BindColumn(ValueSpec input, int start, int count)
    {
        var shape = input.Shape!;
        var width = 1L;
        for (var d = 1; d < shape.Count; d++)
        {
            width *= Math.Max(shape[d], 1);
        }

        var values = new List<JsonElement>(count * (int)width);
        for (var row = start; row < start + count; row++)
        {
            var cell = _batch.Records![row].GetValueOrDefault(input.Name);
            if (cell.ValueKind == JsonValueKind.Array)
            {
                Flatten(cell, values);
            }
            else
            {
                values.Add(cell.ValueKind == JsonValueKind.Undefined ? s_null : cell);
            }
        }

        var dims = Dims(input, count, values.Count, "column");
        return TensorFactory.Create(input.Name, input.ElementType!, values, dims, _plan.Subject(input, "column"));
    }

    private OrtValue BindFeatures(ValueSpec input, int start, int count)
    {
        var values = new List<JsonElement>(count * _features!.Count);
        for (var row = start; row < start + count; row++)
        {
            foreach (var feature in _features)
            {
                var cell = _batch.Records![row].GetValueOrDefault(feature);
                values.Add(cell.ValueKind == JsonValueKind.Undefined ? s_null : cell);
            }
        }

        var dims = Dims(input, count, values.Count, "input");
        return TensorFactory.Create(input.Name, input.ElementType!, values, dims, _plan.Subject(input, "features"));
    }

    private OrtValue BindTensor(ValueSpec input, int start, int count)
    {
        var values = new List<JsonElement>();
        for (var row = start; row < start + count; row++)
        {
            Flatten(_batch.TensorRows![row], values);
        }

        var dims = Dims(input, count, values.Count, "input");
        return TensorFactory.Create(input.Name, input.ElementType!, values, dims, _plan.Subject(input, "input"));
    }

    /// <summary>The tensor shape for <paramref name="rows"/> rows: fixed dimensions must match, one dynamic one is inferred.</summary>
    /// <param name="kind">"column" or "input": what the error messages call the value.</param>
    private static long[] Dims(ValueSpec input, int rows, int elements, string kind)
    {
        var shape = input.Shape!;
        if (shape.Count == 0)
        {
            return [];
        }

        var dims = shape.ToArray();
        if (dims[0] > 0 && dims[0] != rows)
        {
            throw new PredictionInputException($"{kind} '{input.Name}': the model takes exactly {dims[0]} row(s) per call ({Shape(shape)}), got {rows}.");
        }

        // Loops, not LINQ: this runs for every input of every request.
        dims[0] = rows;
        long known = 1;
        var dynamic = 0;
        for (var d = 1; d < dims.Length; d++)
        {
            if (dims[d] > 0)
            {
                known *= dims[d];
            }
            else
            {
                dynamic++;
            }
        }

        for (var d = 1; d < dims.Length; d++)
        {
            if (dims[d] <= 0)
            {
                dims[d] = dynamic == 1 ? elements / Math.Max(rows * known, 1) : 1;
            }
        }

        long expected = 1;
        foreach (var d in dims)
        {
            expected *= d;
        }

        if (expected != elements)
        {
            var perRow = shape.Count == 1 ? "1 value" : $"{Shape(shape.Skip(1).ToList())} = {known} value(s)";
            throw new PredictionInputException($"{kind} '{input.Name}': each row must hold {perRow} for shape {Shape(shape)}; got {elements} value(s) for {rows} row(s).");
        }

        return dims;
    }

    /// <summary>Checks the records name every required column and no unknown one; returns the unknown ones it may leave out (<see cref="ExtraColumns.Ignore"/>).</summary>
    private IReadOnlyList<string> Require(IReadOnlyList<string> columns, IReadOnlySet<string> known, IReadOnlyList<string> required, ExtraColumns extraColumns)
    {
        // The usual request names exactly the required columns: checked without allocating.
        if (columns.Count == required.Count && columns.All(known.Contains))
        {
            return [];
        }

        var unknown = columns.Where(c => !known.Contains(c)).ToList();
        // Only a column the model does not name at all may be left out: one it names (a feature beside its
        // input's own name) is a request that binds some other way, and refusing it says so.
        var ignored = extraColumns == ExtraColumns.Ignore ? unknown.Where(c => !_plan.Names(c)).ToList() : [];
        if (unknown.Count > ignored.Count)
        {
            // The hint only where taking it would help: a column the model names is refused either way.
            var hint = extraColumns == ExtraColumns.Reject && unknown.All(c => !_plan.Names(c)) ? $" To leave them out, {ExtraColumnsSetting.IgnoreHint}." : string.Empty;
            throw new PredictionInputException($"Unknown column(s) {string.Join(", ", unknown.Except(ignored).Select(u => $"'{u}'"))}; the model takes: {string.Join(", ", required)}.{hint}");
        }

        var missing = required.Where(r => !columns.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            var left = ignored.Count == 0 ? string.Empty : $" Left out as extra: {string.Join(", ", ignored.Select(i => $"'{i}'"))}.";
            throw new PredictionInputException($"Missing column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; the model takes: {string.Join(", ", required)}.{left}");
        }

        return ignored;
    }

    /// <summary>Appends the leaves of nested JSON arrays in row-major order (a scalar is one leaf).</summary>
    public static void Flatten(JsonElement value, List<JsonElement> into)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(value);
        }
    }

    public static string Shape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement;
}
