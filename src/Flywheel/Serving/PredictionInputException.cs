using Flywheel.Contracts.Errors;
using Flywheel.Serving.Observation;

namespace Flywheel.Serving;

/// <summary>The request does not fit the model: the message names the input or column, what was expected and what came.</summary>
public sealed class PredictionInputException(string message) : FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidInput, message)
{
    /// <summary>
    /// The ONNX run itself threw on inputs that had passed the signature's checks: answered as bad input, as it always
    /// was, but counted as the version's error in the serving signal (<see cref="VersionFault"/>).
    /// </summary>
    public bool RaisedByModel { get; init; }
}

/// <summary>No such model or version to serve.</summary>
public sealed class ModelNotFoundException(string message) : FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, message)
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
    : FlywheelException(ErrorKind.NotImplemented, ProblemTypes.OutputNotServable, $"{message} The Open Inference Protocol endpoint (v2/models/{{name}}/infer) can ask for the model's other outputs with \"outputs\".");

/// <summary>
/// Columns sent by name to a version whose one [N, F] input has no registered feature names: nothing
/// says which position each column feeds, and binding them in the order they came scores a reordered
/// row differently, so the request is refused rather than guessed.
/// </summary>
public sealed class MissingFeatureNamesException(string message)
    : FlywheelException(ErrorKind.Unprocessable, ProblemTypes.MissingFeatureNames, message)
{
    /// <summary>How a caller gives a version its feature names.</summary>
    public const string HowToRegister =
        "register the version with its feature names in the input's order (the multipart part metadata={\"featureNames\": [\"...\", ...]})";
}
