using System.Net;
using System.Text.Json;
using Flywheel.Contracts.Errors;

namespace Flywheel.Client;

/// <summary>
/// The app answered with an error: its problem+json (or the Open Inference Protocol's <c>{"error"}</c>) read into
/// one type. Switch on <see cref="Code"/> (a <see cref="ProblemTypes"/> constant), not on the message text.
/// </summary>
public sealed class FlywheelRequestException : Exception
{
    public FlywheelRequestException()
    {
    }

    public FlywheelRequestException(string message)
        : base(message)
    {
    }

    public FlywheelRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal FlywheelRequestException(HttpStatusCode status, string? type, string? title, string? detail, IReadOnlyDictionary<string, JsonElement> extensions, string? requestId)
        : base(Describe(status, title, detail))
    {
        Status = status;
        Type = type;
        Title = title;
        Detail = detail;
        Extensions = extensions;
        RequestId = requestId;
    }

    /// <summary>The HTTP status the app answered with.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem's <c>type</c> URI, such as <c>https://flywheel.dev/problems/contract-violation</c>.</summary>
    public string? Type { get; }

    /// <summary>The last segment of <see cref="Type"/>: the code a <see cref="ProblemTypes"/> constant names.</summary>
    public string? Code => Type is { } type && type.StartsWith(ProblemTypes.BaseUri, StringComparison.Ordinal) ? type[ProblemTypes.BaseUri.Length..] : null;

    public string? Title { get; }

    /// <summary>What was wrong and where, in the app's words.</summary>
    public string? Detail { get; }

    /// <summary>The problem's other members: the column a 422 names, the limit a 413 names, the errors of a 400.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; } = new Dictionary<string, JsonElement>();

    /// <summary>The request id the app answered with, when it gave one, for its logs.</summary>
    public string? RequestId { get; }

    private static string Describe(HttpStatusCode status, string? title, string? detail) =>
        $"{(int)status} {title ?? status.ToString()}{(detail is { Length: > 0 } ? $": {detail}" : string.Empty)}";
}
