using System.Collections.Concurrent;
using Flywheel.Contracts.Registry;

namespace Flywheel.Serving.Records;

/// <summary>
/// What binding needs from a model version that does not change between requests, worked out once
/// per loaded model rather than on every request: the signature, its input names in order and as a
/// set, the registered feature names as a set, and why the model cannot be fed (an input that is
/// not a tensor).
/// </summary>
public sealed class InputPlan
{
    private readonly ConcurrentDictionary<(string Input, string Kind), string> _subjects = new();

    public InputPlan(ModelSignature signature, IReadOnlyList<string>? featureNames)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Signature = signature;
        FeatureNames = featureNames;
        InputOrder = [.. signature.Inputs.Select(i => i.Name)];
        InputNames = InputOrder.ToHashSet(StringComparer.Ordinal);
        Specs = signature.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        OutputNames = signature.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        FeatureSet = featureNames is { Count: > 0 } ? featureNames.ToHashSet(StringComparer.Ordinal) : null;
        // A version stored before registration refused input-less models must still answer a 4xx, not crash on Inputs[0].
        Unsupported = signature.Inputs.Count == 0 ? "The model has no inputs: no request can feed it. Register a model that takes its features as inputs."
            : signature.Inputs.FirstOrDefault(i => i.Kind != "tensor" || i.Shape is null || i.ElementType is null) is { } input
            ? $"Input '{input.Name}' is a {input.Type}; Flywheel feeds tensor inputs only."
            : null;
        Records = RecordReader.For(this);
    }

    public ModelSignature Signature { get; }

    public IReadOnlyList<string>? FeatureNames { get; }

    public IReadOnlyList<string> InputOrder { get; }

    public IReadOnlySet<string> InputNames { get; }

    /// <summary>Each input's spec by name (the Open Inference Protocol names its tensors).</summary>
    public IReadOnlyDictionary<string, ValueSpec> Specs { get; }

    public IReadOnlySet<string> OutputNames { get; }

    public IReadOnlySet<string>? FeatureSet { get; }

    public string? Unsupported { get; }

    /// <summary>Reads the usual records body straight into this model's tensors; null when the model's inputs are not all of the types it reads.</summary>
    public RecordReader? Records { get; }

    /// <summary>
    /// Whether records with <paramref name="columns"/> feed one input per column (a model with several
    /// inputs, or records that name its one input) rather than one feature matrix.
    /// </summary>
    public bool BindsPerColumn(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (Signature.Inputs.Count > 1)
        {
            return true;
        }

        // A loop, not LINQ: this runs on every request of the general path.
        foreach (var column in columns)
        {
            if (InputNames.Contains(column))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the model names <paramref name="column"/> (an input, or a registered feature): such a column is never ignored.</summary>
    public bool Names(string column) => InputNames.Contains(column) || FeatureSet?.Contains(column) == true;

    /// <summary>
    /// The element type of the input a records column feeds: the input it names, else the one input's
    /// (a feature of its matrix); null for a column no input takes. It types what text cannot (a CSV cell).
    /// </summary>
    public string? ElementTypeOf(string column) =>
        Specs.TryGetValue(column, out var input) ? input.ElementType
        : Signature.Inputs.Count == 1 && (FeatureSet is null || FeatureSet.Contains(column)) ? Signature.Inputs[0].ElementType
        : null;

    /// <summary>How errors name an input's values ("column 'age' (float)"), made once per input and kind rather than per request.</summary>
    public string Subject(ValueSpec input, string kind)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _subjects.GetOrAdd((input.Name, kind), static (key, state) => key.Kind switch
        {
            "features" => FeaturesSubject(state.Input, state.Features ?? []),
            _ => $"{key.Kind} '{key.Input}' ({state.Input.ElementType})",
        }, (Input: input, Features: FeatureNames));
    }

    /// <summary>How errors name a feature matrix input fed from <paramref name="features"/>.</summary>
    private static string FeaturesSubject(ValueSpec input, IEnumerable<string> features)
    {
        ArgumentNullException.ThrowIfNull(input);
        return $"input '{input.Name}' ({input.ElementType}) from columns {string.Join(", ", features)}";
    }
}
