using Flywheel.Api.Health;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The health probe, open to probes without a key.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Health, (HttpRequest r, HealthHandler h, CancellationToken ct) => h.GetAsync(r, ct))
            .WithName("GetHealth").WithTags("Health").WithSummary("Storage reachability and the running version").AllowAnonymous();
        return endpoints;
    }
}
