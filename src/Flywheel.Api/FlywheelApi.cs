using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Every endpoint, declared once: LocalHost routes these, the Functions app's HTTP triggers are generated from them
/// (Flywheel.Api.Emit) and the OpenAPI document describes them.
/// </summary>
public static class FlywheelApi
{
    public static IEndpointRouteBuilder MapFlywheelApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHomeApi().MapHealthApi().MapReferenceApi().MapConsoleApi().MapDatasetApi().MapRegistryApi().MapServingApi().MapPipelineApi().MapTrainingApi().MapMonitoringApi().MapRetrainingApi();
}
