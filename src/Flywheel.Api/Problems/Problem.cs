using System.Globalization;
using Flywheel.Contracts;
using Flywheel.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Api.Problems;

/// <summary>RFC 9457 problem+json answers with a detail a person can act on. Every error response goes through here.</summary>
public static class Problem
{
    public static ProblemHttpResult Of(int status, string type, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: ProblemTypes.Uri(type), extensions: extensions);

    public static ProblemHttpResult BadRequest(string type, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        Of(StatusCodes.Status400BadRequest, type, Title(ErrorKind.InvalidInput), detail, extensions);

    /// <summary>Null when <paramref name="name"/> is a valid dataset or model name, else the 400 that says why.</summary>
    public static ProblemHttpResult? InvalidName(string kind, string name) =>
        ResourceName.IsValid(name) ? null : BadRequest(ProblemTypes.InvalidName, $"'{name}' is not a valid {kind} name: use {ResourceName.Rule}.");

    /// <summary>Null when <paramref name="version"/> is a version number (then in <paramref name="number"/>), else the 400 that says why.</summary>
    public static ProblemHttpResult? InvalidVersion(string version, out int number) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            ? null
            : BadRequest(ProblemTypes.InvalidVersion, $"'{version}' is not a version number.");

    public static ProblemHttpResult NotFound(string detail) =>
        Of(StatusCodes.Status404NotFound, ProblemTypes.NotFound, Title(ErrorKind.NotFound), detail);

    public static ProblemHttpResult TooLarge(long maxBytes) => For(new TooLargeException(maxBytes));

    public static ProblemHttpResult Conflict(string type, string detail) =>
        Of(StatusCodes.Status409Conflict, type, Title(ErrorKind.Conflict), detail);

    /// <summary>The problem for a failure of the domain's taxonomy.</summary>
    public static ProblemHttpResult For(FlywheelException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return Of(Status(failure.Kind), failure.Code, Title(failure.Kind), failure.Message, failure.Extensions);
    }

    public static int Status(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidInput => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.RequestTimeout => StatusCodes.Status408RequestTimeout,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string Title(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidInput => "The request is not valid",
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.TooLarge => "The request body is too large",
        ErrorKind.RequestTimeout => "The request timed out",
        ErrorKind.Unprocessable => "The request cannot be processed",
        ErrorKind.NotImplemented => "Not implemented",
        ErrorKind.Unavailable => "A dependency is unavailable",
        _ => "Unexpected error",
    };
}
