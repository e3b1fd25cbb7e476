namespace Flywheel.Serving;

/// <summary>The request does not fit the model: the message names the input or column, what was expected and what came. Maps to 400.</summary>
public sealed class PredictionInputException(string message) : Exception(message);

/// <summary>No such model or version to serve. Maps to 404.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message);

/// <summary>
/// The model produced an output Flywheel cannot represent as JSON (an element type such as float8 or
/// complex, a map with other key types). The request was fine. Maps to 501; the Open Inference
/// Protocol's <c>outputs</c> can leave such an output out.
/// </summary>
public sealed class OutputNotServableException(string message) : Exception(message);
