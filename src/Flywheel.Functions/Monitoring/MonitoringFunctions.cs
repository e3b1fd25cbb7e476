using Flywheel.Api.Monitoring;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Flywheel.Functions.Pipelines;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Flywheel.Functions.Monitoring;

/// <summary>The monitoring routes and the monitoring timer.</summary>
public sealed class MonitoringFunctions(MonitoringEndpoints monitoring, MonitoringScheduler scheduler)
{
    [Function(nameof(GetDatasetDrift))]
    public Task<IResult> GetDatasetDrift(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetDrift)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.DatasetDriftAsync(request, name, cancellationToken);

    [Function(nameof(RunModelDrift))]
    public Task<IResult> RunModelDrift(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.ModelDriftRun)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.ModelDriftAsync(request, name, cancellationToken);

    [Function(nameof(GetModelDrift))]
    public Task<IResult> GetModelDrift(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelDrift)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.LatestAsync(request, name, cancellationToken);

    [Function(nameof(GetModelDriftHistory))]
    public Task<IResult> GetModelDriftHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelDriftHistory)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.HistoryAsync(request, name, cancellationToken);

    [Function(nameof(GetModelDriftReport))]
    public Task<IResult> GetModelDriftReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelDriftReport)] HttpRequest request, string name, string id, CancellationToken cancellationToken) =>
        monitoring.ReportAsync(name, id, cancellationToken);

    [Function(nameof(SaveModelMonitoring))]
    public Task<IResult> SaveModelMonitoring(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.ModelMonitoring)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.SaveSettingsAsync(request, name, cancellationToken);

    [Function(nameof(GetModelMonitoring))]
    public Task<IResult> GetModelMonitoring(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelMonitoring)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.GetSettingsAsync(name, cancellationToken);

    /// <summary>
    /// The monitoring schedule (the MONITORING_SCHEDULE app setting, hourly by default): starts each
    /// monitored model's run for the window it is due for. The setting name is flat because the scale
    /// controller resolves the binding from raw app settings, where Linux allows no ':' in a name
    /// (a nested name can leave the timer unfired); MonitoringOptions.Schedule reads the same setting.
    /// </summary>
    [Function(nameof(MonitorModels))]
    public Task MonitorModels([TimerTrigger("%MONITORING_SCHEDULE%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        scheduler.TickAsync(new DurablePipelineClient(client), cancellationToken);
}
