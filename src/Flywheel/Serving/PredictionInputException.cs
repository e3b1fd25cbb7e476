namespace Flywheel.Serving;

/// <summary>The request does not fit the model: the message names the input or column, what was expected and what came. Maps to 400.</summary>
public sealed class PredictionInputException(string message) : Exception(message);

/// <summary>No such model or version to serve. Maps to 404.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message);
