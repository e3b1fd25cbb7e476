using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Problems;

/// <summary>RFC 9457 problem+json answers with a detail a person can act on. Every error response goes through here.</summary>
public static class Problem
{
    private const string TypeBase = "https://flywheel.dev/problems/";

    public static IResult Of(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);

    public static IResult BadRequest(string type, string detail, IDictionary<string, object?>? extensions = null) =>
        Of(StatusCodes.Status400BadRequest, type, "The request is not valid", detail, extensions);

    /// <summary>Null when <paramref name="name"/> is a valid dataset or model name, else the 400 that says why.</summary>
    public static IResult? InvalidName(string kind, string name) =>
        ResourceName.IsValid(name) ? null : BadRequest("invalid-name", $"'{name}' is not a valid {kind} name: use {ResourceName.Rule}.");

    /// <summary>Null when <paramref name="version"/> is a version number (then in <paramref name="number"/>), else the 400 that says why.</summary>
    public static IResult? InvalidVersion(string version, out int number) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            ? null
            : BadRequest("invalid-version", $"'{version}' is not a version number.");

    public static IResult NotFound(string detail) =>
        Of(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static IResult TooLarge(long maxBytes) =>
        Of(StatusCodes.Status413PayloadTooLarge, "too-large", "The request body is too large",
            $"The limit is {maxBytes:N0} bytes.", new Dictionary<string, object?> { ["maxBytes"] = maxBytes });

    public static IResult Conflict(string type, string detail) =>
        Of(StatusCodes.Status409Conflict, type, "Conflict", detail);
}
