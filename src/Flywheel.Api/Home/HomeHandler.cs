using System.Net;
using System.Text;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Contracts.Home;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Home;

/// <summary>
/// <c>GET /</c>: where a person (or a client) starts. A short HTML page linking the API's entry
/// points, or the same links as JSON when the request prefers <c>application/json</c>.
/// </summary>
public static class HomeHandler
{
    private static readonly (string Key, string Route, string What)[] s_entryPoints =
    [
        ("health", Routes.Health, "storage health and the running version"),
        ("docs", Routes.ApiDocs, "the API reference; the OpenAPI document is at api/openapi.json"),
        ("console", Routes.Console, "the web console: datasets, models, runs, pipelines, serving, monitoring, retraining"),
        ("datasets", Routes.Datasets, "versioned, profiled datasets, their contracts, quarantine and drift"),
        ("models", Routes.Models, "the model registry; predictions at api/models/{name}/predict"),
        ("pipelines", Routes.Pipelines, "batch scoring and training runs"),
        ("runs", Routes.Runs, "every training trial, searchable by metric and parameter"),
        ("openInference", Routes.OipServer, "the Open Inference Protocol v2 (KServe, Triton, MLServer clients)"),
    ];

    private static readonly OrderedDictionary<string, string> s_links = new(s_entryPoints.Select(e => KeyValuePair.Create(e.Key, e.Route)));

    private static readonly string s_page = Page();

    public static IResult Get(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PrefersJson(request)
            ? Results.Json(new HomeResponse("flywheel", FlywheelVersion.Informational, s_links), Json.Options)
            : Results.Content(s_page, "text/html; charset=utf-8");
    }

    /// <summary>JSON when the Accept header rates <c>application/json</c> above <c>text/html</c> (browsers ask for HTML first, curl for anything).</summary>
    private static bool PrefersJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return Quality("application/json") > Quality("text/html");
    }

    private static string Page()
    {
        var page = new StringBuilder()
            .Append("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Flywheel</title></head>\n<body>\n<h1>Flywheel</h1>\n")
            .Append("<p>Datasets, a model registry, serving and pipelines in one Function App (version ").Append(WebUtility.HtmlEncode(FlywheelVersion.Informational)).Append(").</p>\n<ul>\n");
        foreach (var (_, route, what) in s_entryPoints)
        {
            page.Append("<li><a href=\"").Append(route).Append("\">").Append(route).Append("</a>: ").Append(WebUtility.HtmlEncode(what)).Append("</li>\n");
        }

        return page.Append("</ul>\n</body>\n</html>\n").ToString();
    }
}
