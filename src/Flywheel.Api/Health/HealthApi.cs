using Flywheel.Api.Health;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Contracts.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The health probe, open to probes without a key.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Health, (HttpRequest r, HealthHandler h, CancellationToken ct) => h.GetAsync(r, ct))
            .WithName("GetHealth").WithTags("Health").WithSummary("Storage reachability and the running version").AllowAnonymous()
            .Produces<HealthResponse>(StatusCodes.Status200OK, "application/json").Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable, "application/json");
        return endpoints;
    }
}
