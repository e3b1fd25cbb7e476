using Flywheel.Onnx;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Serving.Runtime;

/// <summary>
/// Pre-bound one-row Runs of one model, pooled. Each <see cref="OneRowRun"/> holds one row's input
/// arrays under native values made once, its outputs bound to arrays made once, and an
/// <see cref="OrtIoBinding"/> naming them all: a one-row request then makes no native values,
/// marshals no names and reads no shapes, which cost a single-record request more than the parse.
/// A run is rented by one request and returned once its outputs are copied out, so no two requests
/// in flight ever share one. Made only for models whose every input and output has a fixed size for
/// one row (numeric outputs; a ZipMap through its probability tensor): null otherwise.
/// </summary>
public sealed class OneRowRuns : IDisposable
{
    // More than the requests a server runs at once on its cores: beyond it, a returned run is released, not kept.
    private static readonly int s_poolLimit = Math.Max(4, Environment.ProcessorCount * 4);

    private readonly LoadedModel _model;
    private readonly OneRowInput[] _inputs;
    private readonly OneRowOutput[] _outputs;
    private readonly Lock _gate = new();
    private readonly Stack<OneRowRun> _idle = new();
    private bool _disposed;
    private volatile bool _disabled;

    private OneRowRuns(LoadedModel model, OneRowInput[] inputs, OneRowOutput[] outputs)
    {
        _model = model;
        _inputs = inputs;
        _outputs = outputs;
    }

    /// <summary>The pool for <paramref name="model"/>, or null when an input or output has no fixed one-row size or type it binds.</summary>
    public static OneRowRuns? For(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var specs = model.Signature.Inputs;
        var inputs = new OneRowInput[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec.Kind != "tensor" || JsonTensorValues.Kind(spec.ElementType) is not { } kind || OneRow(spec.Shape) is not { } dims)
            {
                return null;
            }

            inputs[i] = new OneRowInput(spec.Name, kind, dims);
        }

        var outputs = new OneRowOutput[model.OutputNames.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var name = model.OutputNames[i];
            if (model.ZipMap(name) is { } zipMap)
            {
                outputs[i] = new OneRowOutput(name, zipMap.Tensor, TensorElementType.Float, [1, zipMap.Classes.Count], zipMap);
                continue;
            }

            if (!model.Session.OutputMetadata.TryGetValue(name, out var metadata) || metadata.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR
                || metadata.ElementDataType is not (TensorElementType.Float or TensorElementType.Double or TensorElementType.Int64 or TensorElementType.Int32)
                || OneRow([.. metadata.Dimensions.Select(d => (long)d)]) is not { } dims)
            {
                return null;
            }

            outputs[i] = new OneRowOutput(name, name, metadata.ElementDataType, dims, null);
        }

        return new OneRowRuns(model, inputs, outputs);
    }

    /// <summary>A run for one request (the caller returns it with <see cref="Return"/>); null once bound runs proved wrong for this model.</summary>
    public OneRowRun? Rent()
    {
        if (_disabled)
        {
            return null;
        }

        lock (_gate)
        {
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
        }

        return new OneRowRun(_model, _inputs, _outputs);
    }

    /// <summary>Takes back a run its request is done with (its outputs copied out), keeping it for the next request.</summary>
    public void Return(OneRowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            if (!_disposed && !_disabled && _idle.Count < s_poolLimit)
            {
                _idle.Push(run);
                return;
            }
        }

        run.Dispose();
    }

    /// <summary>
    /// A bound Run failed where the same row ran unbound: the model's outputs do not keep the one-row
    /// shapes read from its metadata, so its requests run unbound from now on.
    /// </summary>
    public void Disable()
    {
        _disabled = true;
        lock (_gate)
        {
            while (_idle.TryPop(out var run))
            {
                run.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_idle.TryPop(out var run))
            {
                run.Dispose();
            }
        }
    }

    /// <summary>The dimensions of one row: a batch dimension (dynamic or 1) first, every other dimension fixed; null otherwise.</summary>
    private static long[]? OneRow(IReadOnlyList<long>? shape)
    {
        if (shape is not { Count: > 0 } || shape[0] is not (-1 or 1))
        {
            return null;
        }

        var dims = new long[shape.Count];
        dims[0] = 1;
        for (var d = 1; d < dims.Length; d++)
        {
            if (shape[d] <= 0)
            {
                return null;
            }

            dims[d] = shape[d];
        }

        return dims;
    }


}

/// <summary>One input of a bound one-row Run, and its one-row dimensions.</summary>
internal sealed record OneRowInput(string Name, TensorValueKind Kind, long[] Dims);

/// <summary>One output of a bound one-row Run.</summary>
/// <param name="Fetched">What the Run fetches: the output itself, or a ZipMap's probability tensor.</param>
internal sealed record OneRowOutput(string Name, string Fetched, TensorElementType Type, long[] Dims, ZipMapOutput? ZipMap);
