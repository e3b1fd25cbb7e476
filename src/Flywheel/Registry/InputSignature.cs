using System.Globalization;
using Flywheel.Contracts.Registry;

namespace Flywheel.Registry;

/// <summary>
/// What a version takes, input by input (type, shape with N for the batch, and the registered
/// feature order): two versions a caller can send the same requests to have the same description.
/// The deployment check and the training gate compare versions with it.
/// </summary>
public static class InputSignature
{
    public static IReadOnlyDictionary<string, string> Of(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.Signature?.Inputs.ToDictionary(i => i.Name, i => Describe(i, version.FeatureNames), StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>Each input that differs between <paramref name="from"/> and <paramref name="to"/>, in words; empty when they take the same inputs.</summary>
    public static IReadOnlyList<string> Differences(ModelVersion from, ModelVersion to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var (expected, actual) = (Of(from), Of(to));
        var differences = new List<string>();
        foreach (var input in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var a = expected.GetValueOrDefault(input);
            var b = actual.GetValueOrDefault(input);
            if (a != b)
            {
                differences.Add($"input '{input}' is {a ?? "absent"} in v{from.Version} but {b ?? "absent"} in v{to.Version}");
            }
        }

        return differences;
    }

    private static string Describe(ValueSpec input, IReadOnlyList<string>? featureNames) =>
        input.Type + (input.Shape is { } shape ? $"[{string.Join(',', shape.Select((d, i) => i == 0 ? "N" : d.ToString(CultureInfo.InvariantCulture)))}]" : string.Empty)
        + (featureNames is { Count: > 0 } ? $" of ({string.Join(", ", featureNames)})" : string.Empty);
}
