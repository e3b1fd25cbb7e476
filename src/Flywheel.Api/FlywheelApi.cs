using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Every capability's routes; the Functions host declares the same routes in its trigger attributes, and a test compares the two.</summary>
public static class FlywheelApi
{
    public static IEndpointRouteBuilder MapFlywheelApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHomeApi().MapHealthApi().MapDatasetApi().MapRegistryApi().MapServingApi().MapPipelineApi().MapTrainingApi().MapMonitoringApi();
}
