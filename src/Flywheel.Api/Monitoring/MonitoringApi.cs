using Flywheel.Api;
using Flywheel.Api.Monitoring;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Contracts.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The monitoring routes: dataset drift, a model's drift reports and its monitoring settings.</summary>
public static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder endpoints)
    {
        var datasets = endpoints.MapGroup(string.Empty).WithTags("Monitoring").Naming("dataset")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        datasets.MapGet(Routes.DatasetDrift, ([AsParameters] DatasetDriftQuery q, string name, MonitoringHandlers m, CancellationToken ct) => m.DatasetDriftAsync(q, name, ct))
            .WithName("GetDatasetDrift").WithSummary("Drift between two versions of a dataset, per column, as JSON or HTML")
            .Produces<DriftReport>(StatusCodes.Status200OK, "application/json", "text/html");

        var monitoring = endpoints.MapGroup(string.Empty).WithTags("Monitoring").Naming("model")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        monitoring.MapPost(Routes.ModelDriftRun, (HttpRequest r, [AsParameters] FormatQuery f, string name, MonitoringHandlers m, CancellationToken ct) => m.ModelDriftAsync(r, f, name, ct))
            .WithName("RunModelDrift").WithSummary("Compute a drift report for the model now")
            .Produces<ModelMonitoringReport>(StatusCodes.Status200OK, "application/json", "text/html");
        monitoring.MapGet(Routes.ModelDrift, ([AsParameters] FormatQuery f, string name, MonitoringHandlers m, CancellationToken ct) => m.LatestAsync(f, name, ct))
            .WithName("GetModelDrift").WithSummary("The model's latest drift report, as JSON or HTML")
            .Produces<ModelMonitoringReport>(StatusCodes.Status200OK, "application/json", "text/html");
        monitoring.MapGet(Routes.ModelDriftHistory, (HttpRequest r, [AsParameters] DriftHistoryQuery q, [AsParameters] PageQuery p, string name, MonitoringHandlers m, CancellationToken ct) => m.HistoryAsync(r, q, p, name, ct))
            .WithName("GetModelDriftHistory").WithSummary("The model's drift reports over time");
        monitoring.MapGet(Routes.ModelDriftReport, (string name, string id, MonitoringHandlers m, CancellationToken ct) => m.ReportAsync(name, id, ct))
            .WithName("GetModelDriftReport").WithSummary("One stored drift report")
            .Produces<ModelMonitoringReport>(StatusCodes.Status200OK, "application/json", "text/html");
        monitoring.MapPut(Routes.ModelMonitoring, (HttpRequest r, string name, MonitoringHandlers m, CancellationToken ct) => m.SaveSettingsAsync(r, name, ct))
            .WithName("SaveModelMonitoring").WithSummary("Set how and how often the model is monitored");
        monitoring.MapGet(Routes.ModelMonitoring, (string name, MonitoringHandlers m, CancellationToken ct) => m.GetSettingsAsync(name, ct))
            .WithName("GetModelMonitoring").WithSummary("Get the model's monitoring settings");
        monitoring.MapPost(Routes.ModelFeedbackDataset, (HttpRequest r, string name, MonitoringHandlers m, CancellationToken ct) => m.FeedbackDatasetAsync(r, name, ct))
            .WithName("CreateFeedbackDataset").WithSummary("Append the logged inputs that have feedback, labelled, as a new version of a dataset")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return endpoints;
    }
}
