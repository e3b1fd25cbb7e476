using Flywheel.Contracts.Errors;

namespace Flywheel.Onnx;

/// <summary>The bytes are not a model ONNX Runtime can load and run; <see cref="Exception.Message"/> says why.</summary>
public sealed class InvalidModelException(string message, Exception? inner = null)
    : FlywheelException(ErrorKind.Unprocessable, ProblemTypes.InvalidModel, message, inner);
