using System.Collections.Frozen;
using System.Reflection;
using Flywheel.Api.Datasets;
using Flywheel.Api.Monitoring;
using Flywheel.Api.Pipelines;
using Flywheel.Api.Training;
using Flywheel.Contracts;
using Flywheel.Errors;
using Flywheel.Serving.Records;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Routing;

/// <summary>
/// The query parameters each route reads: the names of the <c>[AsParameters]</c> records its handler binds. Both hosts
/// check every request against this table before its handler runs (LocalHost in its pipeline, the
/// Functions worker in its middleware), so a misspelt or unsupported parameter is a 400 naming it
/// rather than a filter silently ignored. Names match case-insensitively, as the handlers read them.
/// </summary>
public static class QueryParameters
{
    /// <summary>The Functions host's function key (<c>?code=</c>): accepted on every route, listed on none.</summary>
    public const string FunctionKey = "code";

    private static readonly string[] s_paged = Of<PageQuery>();

    /// <summary>Routes absent from here take no query parameters (with any method).</summary>
    private static readonly FrozenDictionary<string, string[]> s_accepted = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Routes.Datasets] = s_paged,
        [Routes.DatasetVersions] = s_paged,
        [Routes.DatasetQuarantine] = s_paged,
        [Routes.DatasetDiff] = Of<DatasetDiffQuery>(),
        [Routes.DatasetDrift] = Of<DatasetDriftQuery>(),
        [Routes.Models] = s_paged,
        [Routes.Model] = s_paged,
        [Routes.ModelHistory] = s_paged,
        [Routes.ModelCard] = Of<FormatQuery>(),
        [Routes.ModelDrift] = Of<FormatQuery>(),
        [Routes.ModelDriftRun] = Of<FormatQuery>(),
        [Routes.ModelDriftHistory] = [.. Of<DriftHistoryQuery>(), .. s_paged],
        // Scoring reads its one option from the request itself, off the binder, as the rest of its fast path.
        [Routes.Predict] = [ExtraColumnsSetting.Name],
        [Routes.PredictVersion] = [ExtraColumnsSetting.Name],
        [Routes.Pipelines] = [.. Of<PipelineListQuery>(), .. s_paged],
        [Routes.PipelineTerminate] = Of<TerminateQuery>(),
        [Routes.Runs] = [.. Of<RunListQuery>(), .. s_paged],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The routes that take query parameters, for tests that hold the table to <see cref="Routes"/>.</summary>
    public static IEnumerable<string> DeclaredRoutes => s_accepted.Keys;

    /// <summary>The parameters <paramref name="route"/> (a <see cref="Routes"/> template) reads.</summary>
    public static IReadOnlyList<string> Accepted(string route) => s_accepted.TryGetValue(route, out var accepted) ? accepted : [];

    /// <summary>The query names of an <c>[AsParameters]</c> record, in declaration order: the names its handler binds.</summary>
    private static string[] Of<TQuery>() =>
        [.. typeof(TQuery).GetProperties().Where(p => p.SetMethod is { IsPublic: true }).OrderBy(p => p.MetadataToken).Select(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name)];

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
