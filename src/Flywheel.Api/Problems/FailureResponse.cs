using System.Text.Json;
using Flywheel.Contracts.Serving;
using Flywheel.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Flywheel.Api.Problems;

/// <summary>
/// Turns an exception that escaped a handler into the response, the same way in both hosts:
/// LocalHost calls it from its request pipeline, the Functions worker from its middleware. The
/// domain's taxonomy maps to problem+json (the Open Inference Protocol's routes answer with its
/// <c>{"error": "..."}</c> instead); anything unexpected is a 500 that leaks no internals.
/// </summary>
public static partial class FailureResponse
{
    /// <summary>Seconds a client should wait before retrying a request that failed on an unavailable dependency.</summary>
    public const int RetryAfterSeconds = 5;

    private static readonly JsonSerializerOptions s_oipJson = new(JsonSerializerDefaults.Web);

    /// <summary>The taxonomy's view of an exception: null when it is not a failure the caller can act on (a bug).</summary>
    public static FlywheelException? Classify(Exception exception) => exception switch
    {
        FlywheelException failure => failure,
        AggregateException { InnerExceptions: [var inner] } => Classify(inner),
        _ when StorageFailures.IsTransient(exception) => Unavailable(exception),
        JsonException json => new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidJson, $"The body is not valid JSON at {json.Path ?? "$"}."),
        // Kestrel's request limits: a body that arrives too slowly is a 408, too large a 413, and so on.
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } slow => new FlywheelException(ErrorKind.RequestTimeout, ProblemTypes.RequestTimeout,
            "The request body arrived too slowly (below the server's minimum data rate); send it again at full speed.", slow),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } large => new FlywheelException(ErrorKind.TooLarge, ProblemTypes.TooLarge, large.Message, large),
        BadHttpRequestException bad => new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidRequest, bad.Message, bad),
        // Reading a request body inside a storage upload or a stream wrapper surfaces Kestrel's exception as the inner one.
        { InnerException: BadHttpRequestException inner } => Classify(inner),
        _ => null,
    };

    public static async Task WriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        var failure = Classify(exception);
        if (failure is null)
        {
            LogUnexpected(logger, context.Request.Method, context.Request.Path, exception);
        }
        else if (failure.Kind == ErrorKind.Unavailable)
        {
            LogUnavailable(logger, context.Request.Method, context.Request.Path, exception);
        }

        // Headers already set (the request id) stay: they help match the failure to the log.
        var response = context.Response;
        if (failure?.Kind == ErrorKind.Unavailable)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var result = IsOip(context.Request.Path)
            ? Results.Json(new OipError(failure?.Message ?? "An unexpected error occurred."), s_oipJson, statusCode: failure is null ? StatusCodes.Status500InternalServerError : Problem.Status(failure.Kind))
            : failure is null
                ? Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected error", type: ProblemTypes.Uri(ProblemTypes.Unexpected),
                    detail: "Flywheel failed unexpectedly; the log has the details under this request's trace id.")
                : Problem.For(failure);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private static FlywheelException Unavailable(Exception exception) =>
        new(ErrorKind.Unavailable, ProblemTypes.Unavailable, "Storage is unavailable; retry in a few seconds.", exception);

    private static bool IsOip(PathString path) => path.StartsWithSegments("/v2", StringComparison.Ordinal);

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "{Method} {Path}: a dependency is unavailable")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, Exception exception);
}
