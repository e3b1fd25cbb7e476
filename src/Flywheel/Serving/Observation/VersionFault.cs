using System.Text.Json;
using Flywheel.Contracts.Errors;

namespace Flywheel.Serving.Observation;

/// <summary>
/// Whether a request's failure, after a version was chosen to answer it, is that version's: what the serving signal
/// counts as the version's error (<see cref="Signal.ServingSignal.Failed"/>) for canary judgement.
/// </summary>
/// <remarks>
/// The version's: the ONNX run threw (<see cref="PredictionInputException.RaisedByModel"/>: the inputs had passed the
/// signature's checks, so the model itself failed on them), or the failure answers 5xx (an output Flywheel cannot
/// write, a model that cannot load, storage unavailable while loading it, anything unexpected). Not the version's: the
/// caller's bad input (a 4xx: bad JSON, an unknown or missing column, a wrong type) and a caller that went away.
/// Left out on purpose: a chosen version that cannot read input the champion could (a candidate whose signature drops
/// or retypes a column) answers 4xx and is not counted; telling it from a caller's mistake would mean binding the rows
/// to the champion's signature on every failed request. Such a candidate still shows as a shadow failure when it is
/// shadowed first, where every failure counts (<see cref="ServingStats.ShadowFailed"/>).
/// </remarks>
public static class VersionFault
{
    public static bool Is(Exception exception) => exception switch
    {
        PredictionInputException input => input.RaisedByModel,
        FlywheelException failure => failure.Kind is ErrorKind.NotImplemented or ErrorKind.Unavailable,
        OperationCanceledException or JsonException => false,
        AggregateException { InnerExceptions: [var inner] } => Is(inner),
        _ => true,
    };
}
