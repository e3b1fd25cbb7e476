using Flywheel.Api.Health;
using Flywheel.Api.Routing;

namespace Flywheel.LocalHost;

/// <summary>LocalHost's route table: the same <see cref="Routes"/> the Functions host declares, bound to the same handlers.</summary>
public static class FlywheelEndpoints
{
    public static IEndpointRouteBuilder MapFlywheelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Health, (HttpRequest request, HealthEndpoint health, CancellationToken ct) => health.GetAsync(request, ct))
            .WithName("GetHealth");
        return endpoints;
    }
}
