using Flywheel.Api.Monitoring;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The monitoring routes for hosts that route with ASP.NET Core.</summary>
public static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.DatasetDrift, (HttpRequest r, string name, MonitoringEndpoints m, CancellationToken ct) => m.DatasetDriftAsync(r, name, ct)).WithName("GetDatasetDrift");
        endpoints.MapPost(Routes.ModelDriftRun, (HttpRequest r, string name, MonitoringEndpoints m, CancellationToken ct) => m.ModelDriftAsync(r, name, ct)).WithName("RunModelDrift");
        return endpoints;
    }
}
