using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Serving.Runtime;

/// <summary>
/// One row's bound Run: fill <see cref="Inputs"/> (one array per signature input, in its order, of the
/// input's one-row size), then <see cref="Run"/>. Strings are copied into their native tensors at the Run.
/// </summary>
public sealed class OneRowRun : IDisposable
{
    private readonly LoadedModel _model;
    private readonly OneRowInput[] _inputs;
    private readonly OneRowOutput[] _outputs;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly Array[] _outputData;
    private readonly OrtIoBinding _binding;

    internal OneRowRun(LoadedModel model, OneRowInput[] inputs, OneRowOutput[] outputs)
    {
        _model = model;
        _inputs = inputs;
        _outputs = outputs;
        Inputs = new Array[inputs.Length];
        _inputValues = new OrtValue[inputs.Length];
        _outputValues = new OrtValue[outputs.Length];
        _outputData = new Array[outputs.Length];
        _binding = model.Session.CreateIoBinding();
        try
        {
            for (var i = 0; i < Inputs.Length; i++)
            {
                var input = inputs[i];
                Inputs[i] = JsonTensorValues.Allocate(input.Kind, (int)Count(input.Dims));
                _inputValues[i] = input.Kind == TensorValueKind.String
                    ? OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, input.Dims)
                    : JsonTensorValues.Tensor(Inputs[i], input.Dims);
                _binding.BindInput(input.Name, _inputValues[i]);
            }

            for (var i = 0; i < _outputValues.Length; i++)
            {
                var output = outputs[i];
                _outputData[i] = Allocate(output.Type, Count(output.Dims));
                _outputValues[i] = JsonTensorValues.Tensor(_outputData[i], output.Dims);
                _binding.BindOutput(output.Fetched, _outputValues[i]);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The row's values, one array per signature input (its one-row element count, row-major).</summary>
    public Array[] Inputs { get; }

    /// <summary>Runs the bound row and copies every output out (the run's arrays are the next request's).</summary>
    /// <exception cref="OnnxRuntimeException">The model refused the row, or its outputs are not of the bound sizes.</exception>
    public IReadOnlyList<OutputValue> Run()
    {
        for (var i = 0; i < Inputs.Length; i++)
        {
            if (Inputs[i] is string[] strings)
            {
                for (var s = 0; s < strings.Length; s++)
                {
                    _inputValues[i].StringTensorSetElementAt(strings[s].AsSpan(), s);
                }
            }
        }

        _model.Session.RunWithBinding(_model.RunOptions, _binding);
        var outputs = new OutputValue[_outputData.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            var output = _outputs[i];
            outputs[i] = output.ZipMap is { } zipMap
                ? OutputValue.FromProbabilities(zipMap, (float[])_outputData[i], output.Dims)
                : new OutputValue(output.Name, ElementType(output.Type), (long[])output.Dims.Clone(), (Array)_outputData[i].Clone(), null);
        }

        return outputs;
    }

    /// <summary>The row as native values, to run it unbound (the caller disposes them).</summary>
    public ModelInputs Unbound() => ModelInputs.Build(inputs =>
    {
        for (var i = 0; i < Inputs.Length; i++)
        {
            inputs.Add(_inputs[i].Name, JsonTensorValues.Tensor(Inputs[i], _inputs[i].Dims));
        }
    });

    private static Array Allocate(TensorElementType type, long length) => type switch
    {
        TensorElementType.Float => new float[length],
        TensorElementType.Double => new double[length],
        TensorElementType.Int64 => new long[length],
        _ => new int[length],
    };

    private static long Count(long[] dims) => dims.Aggregate(1L, (a, b) => a * b);

    private static string ElementType(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Int64 => "int64",
        _ => "int32",
    };

    public void Dispose()
    {
        _binding?.Dispose();
        foreach (var value in _inputValues)
        {
            value?.Dispose();
        }

        foreach (var value in _outputValues)
        {
            value?.Dispose();
        }
    }
}
