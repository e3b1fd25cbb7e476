using Flywheel.Api.Console;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The web console: a page shell and its static files, open without a key because they hold no data. Every
/// figure the pages show comes from the API's own routes, under the same access rules as the CLI's calls.
/// </summary>
public static class ConsoleApi
{
    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        var console = endpoints.MapGroup(string.Empty).WithTags("Console").AllowAnonymous()
            .ExcludeFromDescription(); // HTML, scripts and styles for a browser, not API operations; the home page links it.
        console.MapGet(Routes.Console, (HttpRequest r) => ConsoleFiles.Get(r, string.Empty))
            .WithName("GetConsole").WithSummary("The web console's start page");
        console.MapGet(Routes.ConsoleFile, (HttpRequest r, string? path) => ConsoleFiles.Get(r, path ?? string.Empty))
            .WithName("GetConsoleFile").WithSummary("A console page (the shell, which routes in the browser) or one of its scripts and styles");
        return endpoints;
    }
}
