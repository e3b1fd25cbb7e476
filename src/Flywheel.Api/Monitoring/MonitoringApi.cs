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
        endpoints.MapGet(Routes.ModelDrift, (HttpRequest r, string name, MonitoringEndpoints m, CancellationToken ct) => m.LatestAsync(r, name, ct)).WithName("GetModelDrift");
        endpoints.MapGet(Routes.ModelDriftHistory, (HttpRequest r, string name, MonitoringEndpoints m, CancellationToken ct) => m.HistoryAsync(r, name, ct)).WithName("GetModelDriftHistory");
        endpoints.MapGet(Routes.ModelDriftReport, (string name, string id, MonitoringEndpoints m, CancellationToken ct) => m.ReportAsync(name, id, ct)).WithName("GetModelDriftReport");
        endpoints.MapPut(Routes.ModelMonitoring, (HttpRequest r, string name, MonitoringEndpoints m, CancellationToken ct) => m.SaveSettingsAsync(r, name, ct)).WithName("SaveModelMonitoring");
        endpoints.MapGet(Routes.ModelMonitoring, (string name, MonitoringEndpoints m, CancellationToken ct) => m.GetSettingsAsync(name, ct)).WithName("GetModelMonitoring");
        return endpoints;
    }
}
