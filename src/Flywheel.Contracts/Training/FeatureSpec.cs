namespace Flywheel.Contracts.Training;

/// <summary>
/// How a feature column is fed to a trainer: as a number (missing values replaced by the mean),
/// one-hot as a category, or, for text with more distinct values than one-hot suits, one-hot over
/// a hash of the value (<see cref="FeatureSpec.HashBits"/> bits: a fixed width however many values
/// the column has or later meets, at the cost of rare collisions; it exports to ONNX as
/// com.microsoft's MurmurHash3, which ONNX Runtime runs).
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<FeatureKind>))]
public enum FeatureKind
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("numeric")]
    Numeric,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("categorical")]
    Categorical,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("hashed")]
    Hashed,
}

/// <param name="HashBits">For <see cref="FeatureKind.Hashed"/>: the one-hot width is 2^bits.</param>
public sealed record FeatureSpec(string Name, FeatureKind Kind, int HashBits = 0);
