namespace Flywheel.Contracts.Serving;

/// <summary>The Open Inference Protocol v2's server metadata, <c>GET v2</c>: Flywheel's name, its version, and no protocol extensions.</summary>
public sealed record OipServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>
/// The Open Inference Protocol v2's model metadata, <c>GET v2/models/{name}[/versions/{version}]</c>:
/// the versions that serve (archived ones left out; null when the model has none listed), the platform,
/// and each input and output tensor.
/// </summary>
public sealed record OipModelMetadata(string Name, IReadOnlyList<string>? Versions, string Platform, IReadOnlyList<OipTensorMetadata> Inputs, IReadOnlyList<OipTensorMetadata> Outputs);

/// <summary>One tensor of <see cref="OipModelMetadata"/>: its name, the protocol's datatype (<c>FP32</c>, <c>BYTES</c>...) and shape (-1 for a dynamic dimension).</summary>
public sealed record OipTensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>The Open Inference Protocol's error body, <c>{"error": "..."}</c>, which its routes answer with instead of problem+json.</summary>
public sealed record OipError(string Error);
