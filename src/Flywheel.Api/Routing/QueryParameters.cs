using System.Collections.Frozen;
using Flywheel.Contracts;
using Flywheel.Errors;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Routing;

/// <summary>
/// The query parameters each route reads, declared once beside <see cref="Routes"/>. Both hosts
/// check every request against this table before its handler runs (LocalHost in its pipeline, the
/// Functions worker in its middleware), so a misspelt or unsupported parameter is a 400 naming it
/// rather than a filter silently ignored. Names match case-insensitively, as the handlers read them.
/// </summary>
public static class QueryParameters
{
    /// <summary>The Functions host's function key (<c>?code=</c>): accepted on every route, listed on none.</summary>
    public const string FunctionKey = "code";

    private static readonly string[] s_paged = ["pageSize", "continuationToken"];

    /// <summary>Routes absent from here take no query parameters (with any method).</summary>
    private static readonly FrozenDictionary<string, string[]> s_accepted = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Routes.Datasets] = s_paged,
        [Routes.DatasetVersions] = s_paged,
        [Routes.DatasetQuarantine] = s_paged,
        [Routes.DatasetDiff] = ["from", "to"],
        [Routes.DatasetDrift] = ["reference", "current", "method", "threshold", "format"],
        [Routes.Models] = s_paged,
        [Routes.Model] = s_paged,
        [Routes.ModelHistory] = s_paged,
        [Routes.ModelCard] = ["format"],
        [Routes.ModelDrift] = ["format"],
        [Routes.ModelDriftRun] = ["format"],
        [Routes.ModelDriftHistory] = ["from", "to", .. s_paged],
        [Routes.Predict] = ["extraColumns"],
        [Routes.PredictVersion] = ["extraColumns"],
        [Routes.Pipelines] = ["name", "status", "createdFrom", "createdTo", .. s_paged],
        [Routes.PipelineTerminate] = ["reason"],
        [Routes.Runs] = ["model", "pipeline", "filter", "orderBy", .. s_paged],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The routes that take query parameters, for tests that hold the table to <see cref="Routes"/>.</summary>
    public static IEnumerable<string> DeclaredRoutes => s_accepted.Keys;

    /// <summary>The parameters <paramref name="route"/> (a <see cref="Routes"/> template) reads.</summary>
    public static IReadOnlyList<string> Accepted(string route) => s_accepted.TryGetValue(route, out var accepted) ? accepted : [];

    /// <summary>Throws the 400 naming every parameter of <paramref name="request"/> that <paramref name="route"/> does not read.</summary>
    public static void Check(string route, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.QueryString.HasValue)
        {
            return;
        }

        var accepted = Accepted(route);
        List<string>? unknown = null;
        foreach (var key in request.Query.Keys)
        {
            if (!string.Equals(key, FunctionKey, StringComparison.OrdinalIgnoreCase) && !accepted.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                (unknown ??= []).Add(key);
            }
        }

        if (unknown is null)
        {
            return;
        }

        var path = request.Path.Value?.TrimStart('/') ?? string.Empty;
        var takes = accepted.Count == 0 ? "takes no query parameters" : $"takes {string.Join(", ", accepted)}";
        throw new FlywheelException(ErrorKind.InvalidInput, "unknown-query-parameter",
            $"Unknown query parameter{(unknown.Count == 1 ? string.Empty : "s")} {string.Join(", ", unknown.Select(k => $"'{k}'"))}: {request.Method} {path} {takes}.")
        {
            Extensions = new Dictionary<string, object?> { ["unknown"] = unknown, ["valid"] = accepted },
        };
    }
}
