using Flywheel.Contracts.Errors;

namespace Flywheel.Registry;

/// <summary>Why a registry change was refused: the model or version is missing, or the change contradicts the registry.</summary>
public sealed class RegistryConflictException(string message, bool notFound = false)
    : FlywheelException(notFound ? ErrorKind.NotFound : ErrorKind.Conflict, notFound ? ProblemTypes.NotFound : ProblemTypes.RegistryConflict, message)
{
    public bool NotFound { get; } = notFound;
}
