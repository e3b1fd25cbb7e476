using Flywheel.Api.Home;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The site root, open without a key.</summary>
public static class HomeApi
{
    public static IEndpointRouteBuilder MapHomeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Home, (HttpRequest r) => HomeHandler.Get(r))
            .WithName("GetHome").WithSummary("Links to the API's entry points, as HTML or JSON").AllowAnonymous()
            .ExcludeFromDescription(); // The root (an optional, always-empty segment) has no OpenAPI path; api/docs links everything.
        return endpoints;
    }
}
