using Flywheel.Api.Home;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class HomeApi
{
    public static IEndpointRouteBuilder MapHomeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Home, (HttpRequest r) => HomeEndpoint.Get(r)).WithName("GetHome");
        return endpoints;
    }
}
