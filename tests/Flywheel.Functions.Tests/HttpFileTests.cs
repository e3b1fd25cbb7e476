using System.Text.RegularExpressions;
using Flywheel.Api.Declaration;
using Flywheel.Contracts;
using Flywheel.Testing;
using Microsoft.AspNetCore.Routing.Template;

namespace Flywheel.Functions.Tests;

/// <summary>The .http files under src/Flywheel.Api/http/ stay runnable: each request is a declared endpoint, and each endpoint has a request.</summary>
public sealed partial class HttpFileTests
{
    [Fact]
    public void Every_request_in_the_http_files_is_a_declared_endpoint_and_every_endpoint_has_one()
    {
        using var services = DatasetFunctionsTests.Services();
        var declared = EndpointTable.Declared(services);
        var requests = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src", "Flywheel.Api", "http"), "*.http")
            .SelectMany(file => File.ReadLines(file).Select(line => (File: Path.GetFileName(file), Match: RequestLine().Match(line))))
            .Where(line => line.Match.Success)
            .Select(line => (line.File, Method: line.Match.Groups["method"].Value, Path: "/" + line.Match.Groups["path"].Value))
            .ToList();

        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, method, path) in requests)
        {
            var match = declared.FirstOrDefault(e => e.Method == method && Matches(e, path));
            Assert.True(match is not null, $"{file}: {method} {path} is no declared endpoint.");
            covered.Add(match.Name);
        }

        var uncovered = declared.Select(e => e.Name).Except(covered, StringComparer.Ordinal).ToList();
        Assert.True(uncovered.Count == 0, $"No .http request for: {string.Join(", ", uncovered)}");
    }

    /// <summary>TemplateMatcher leaves constraints out, so the root's template (one optional segment no longer than 0) is held to "/" here.</summary>
    private static bool Matches(DeclaredEndpoint endpoint, string path) =>
        endpoint.Route == Routes.Home ? path == "/" : new TemplateMatcher(TemplateParser.Parse(endpoint.Route), []).TryMatch(path, []);

    // "GET {{host}}/api/models/{{model}}?x=1": the method, and the path with {{variables}} standing for one segment each.
    [GeneratedRegex(@"^(?<method>GET|PUT|POST|PATCH|DELETE) \{\{host\}\}/(?<path>[^?\s]*)")]
    private static partial Regex RequestLine();
}
