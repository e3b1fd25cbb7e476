using Flywheel.Errors;

namespace Flywheel.Serving;

/// <summary>The request does not fit the model: the message names the input or column, what was expected and what came.</summary>
public sealed class PredictionInputException(string message) : FlywheelException(ErrorKind.InvalidInput, "invalid-input", message);

/// <summary>No such model or version to serve.</summary>
public sealed class ModelNotFoundException(string message) : FlywheelException(ErrorKind.NotFound, "not-found", message)
{
    /// <summary>The version exists but was archived: no route serves it.</summary>
    public static ModelNotFoundException Archived(string model, int version) => new($"Version {version} of '{model}' is archived: it no longer serves.");
}

/// <summary>
/// The model produced an output Flywheel cannot represent as JSON (an element type such as float8 or
/// complex, a map with other key types). The request was fine; the Open Inference Protocol's
/// <c>outputs</c> can leave such an output out.
/// </summary>
public sealed class OutputNotServableException(string message)
    : FlywheelException(ErrorKind.NotImplemented, "output-not-servable", $"{message} The Open Inference Protocol endpoint (v2/models/{{name}}/infer) can ask for the model's other outputs with \"outputs\".");
