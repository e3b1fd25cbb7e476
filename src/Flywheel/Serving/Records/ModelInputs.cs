using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Records;

/// <summary>
/// The named input tensors of one Run, as native <see cref="OrtValue"/>s (numeric data pinned in
/// place, strings copied into native memory). Disposing releases them; the caller does so right
/// after the Run.
/// </summary>
public sealed class ModelInputs : IDisposable
{
    private readonly List<string> _names = [];
    private readonly List<OrtValue> _values = [];

    public IReadOnlyList<string> Names => _names;

    public IReadOnlyList<OrtValue> Values => _values;

    public int Count => _values.Count;

    /// <summary>Builds the inputs with <paramref name="fill"/>; if it throws (a value that does not fit), what was made so far is released.</summary>
    public static ModelInputs Build(Action<ModelInputs> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var inputs = new ModelInputs();
        try
        {
            fill(inputs);
            return inputs;
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    public void Add(string name, OrtValue value)
    {
        _names.Add(name);
        _values.Add(value);
    }

    public void Dispose()
    {
        foreach (var value in _values)
        {
            value.Dispose();
        }

        _values.Clear();
        _names.Clear();
    }
}
