using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Flywheel.Client;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Cli.Errors;

/// <summary>
/// The one place an exception becomes an exit code and a readable line on stderr ("title: detail", then what to do
/// when that is known). A rejected upload's quarantine reasons follow on their own lines, since they are the answer.
/// </summary>
internal static class ErrorMapper
{
    public static int Report(Exception exception, Uri endpoint, TextWriter error)
    {
        var (code, line) = Map(exception, endpoint);
        error.WriteLine($"error: {line}");
        if (exception is FlywheelRequestException { Status: HttpStatusCode.UnprocessableEntity } rejected && QuarantineOf(rejected) is { } report)
        {
            foreach (var problem in report.Problems)
            {
                var where = problem.Examples.FirstOrDefault() is { Line: { } at } ? $" (first at line {at})" : string.Empty;
                error.WriteLine($"  - {problem.Kind}{(problem.Column is null ? string.Empty : $" [{problem.Column}]")}: {problem.Message} x{problem.Count}{where}");
            }
        }

        return code;
    }

    public static (int Code, string Line) Map(Exception exception, Uri endpoint) => exception switch
    {
        FlywheelRequestException e => (CodeOf(e.Status), Describe(e)),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } or HttpRequestException { InnerException: SocketException } =>
            (ExitCodes.Failure, $"cannot reach Flywheel at {endpoint}: {exception.Message.TrimEnd('.')}. Is Flywheel running at {endpoint}? Start it with scripts/dev.sh, or pass --url (FLYWHEEL_URL)."),
        HttpRequestException e => (ExitCodes.Failure, $"the request to {endpoint} failed: {e.Message}"),
        TimeoutException or TaskCanceledException => (ExitCodes.Failure, $"Flywheel at {endpoint} did not answer in time: {exception.Message}"),
        CliUsageException or FileNotFoundException or DirectoryNotFoundException => (ExitCodes.Usage, exception.Message),
        JsonException => (ExitCodes.Failure, $"Flywheel at {endpoint} answered with JSON this CLI cannot read: {exception.Message}"),
        _ => (ExitCodes.Failure, $"{exception.GetType().Name}: {exception.Message}"),
    };

    private static int CodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.UnprocessableEntity => ExitCodes.Rejected,
        _ => ExitCodes.Failure,
    };

    private static string Describe(FlywheelRequestException e)
    {
        var text = $"{e.Title ?? e.Status.ToString()}{(e.Detail is { Length: > 0 } detail ? $": {detail}" : string.Empty)}";
        var hint = e.Status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " Pass the key with --key or FLYWHEEL_KEY.",
            HttpStatusCode.ServiceUnavailable => " Flywheel or its storage is unavailable; try again shortly.",
            _ => string.Empty,
        };
        return text.Replace('\n', ' ') + hint;
    }

    private static QuarantineReport? QuarantineOf(FlywheelRequestException e)
    {
        try
        {
            return e.Extensions.TryGetValue("report", out var report) ? report.Deserialize<QuarantineReport>(FlywheelJson.CreateOptions()) : null;
        }
        catch (JsonException)
        {
            // A 422 of another shape: the one line already says what was wrong.
            return null;
        }
    }
}
