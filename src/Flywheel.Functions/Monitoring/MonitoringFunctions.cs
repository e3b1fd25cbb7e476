using Flywheel.Api.Monitoring;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Monitoring;

/// <summary>The monitoring routes.</summary>
public sealed class MonitoringFunctions(MonitoringEndpoints monitoring)
{
    [Function(nameof(GetDatasetDrift))]
    public Task<IResult> GetDatasetDrift(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetDrift)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.DatasetDriftAsync(request, name, cancellationToken);

    [Function(nameof(RunModelDrift))]
    public Task<IResult> RunModelDrift(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.ModelDriftRun)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        monitoring.ModelDriftAsync(request, name, cancellationToken);
}
