using Flywheel.Api.Datasets;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Datasets;

public sealed class DatasetFunctions(DatasetEndpoints datasets)
{
    [Function(nameof(PutDataset))]
    public Task<IResult> PutDataset(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.Dataset)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        datasets.PutAsync(request, name, cancellationToken);

    [Function(nameof(GetDataset))]
    public Task<IResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Dataset)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        datasets.GetAsync(request, name, cancellationToken);

    [Function(nameof(ListDatasets))]
    public Task<IResult> ListDatasets(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Datasets)] HttpRequest request, CancellationToken cancellationToken) =>
        datasets.ListAsync(request, cancellationToken);

    [Function(nameof(ListDatasetVersions))]
    public Task<IResult> ListDatasetVersions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetVersions)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        datasets.ListVersionsAsync(request, name, cancellationToken);

    [Function(nameof(GetDatasetVersion))]
    public Task<IResult> GetDatasetVersion(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetVersion)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        datasets.GetVersionAsync(request, name, version, cancellationToken);

    [Function(nameof(GetDatasetContent))]
    public Task<IResult> GetDatasetContent(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetContent)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        datasets.GetContentAsync(request, name, version, cancellationToken);

    [Function(nameof(DiffDataset))]
    public Task<IResult> DiffDataset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetDiff)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        datasets.DiffAsync(request, name, cancellationToken);

    [Function(nameof(PutDatasetContract))]
    public Task<IResult> PutDatasetContract(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.DatasetContract)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        datasets.PutContractAsync(request, name, cancellationToken);

    [Function(nameof(GetDatasetContract))]
    public Task<IResult> GetDatasetContract(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetContract)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        datasets.GetContractAsync(request, name, cancellationToken);

    [Function(nameof(ListDatasetQuarantine))]
    public Task<IResult> ListDatasetQuarantine(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.DatasetQuarantine)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        datasets.ListQuarantineAsync(request, name, cancellationToken);
}
