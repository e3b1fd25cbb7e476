using Flywheel.Api.Registry;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Registry;

public sealed class ModelFunctions(ModelEndpoints models)
{
    [Function(nameof(RegisterModelVersion))]
    public Task<IResult> RegisterModelVersion(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.ModelVersions)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        models.RegisterAsync(request, name, cancellationToken);

    [Function(nameof(ListModels))]
    public Task<IResult> ListModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Models)] HttpRequest request, CancellationToken cancellationToken) =>
        models.ListAsync(request, cancellationToken);

    [Function(nameof(GetModel))]
    public Task<IResult> GetModel(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Model)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        models.GetModelAsync(request, name, cancellationToken);

    [Function(nameof(GetModelVersion))]
    public Task<IResult> GetModelVersion(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelVersion)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        models.GetVersionAsync(request, name, version, cancellationToken);

    [Function(nameof(PatchModelVersion))]
    public Task<IResult> PatchModelVersion(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = Routes.ModelVersion)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        models.PatchVersionAsync(request, name, version, cancellationToken);

    [Function(nameof(ArchiveModelVersion))]
    public Task<IResult> ArchiveModelVersion(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = Routes.ModelVersion)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        models.ArchiveVersionAsync(request, name, version, cancellationToken);

    [Function(nameof(GetModelContent))]
    public Task<IResult> GetModelContent(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelContent)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        models.GetContentAsync(request, name, version, cancellationToken);

    [Function(nameof(GetModelCard))]
    public Task<IResult> GetModelCard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelCard)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        models.GetCardAsync(request, name, version, cancellationToken);

    [Function(nameof(SetModelAlias))]
    public Task<IResult> SetModelAlias(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.ModelAlias)] HttpRequest request, string name, string alias, CancellationToken cancellationToken) =>
        models.SetAliasAsync(request, name, alias, cancellationToken);

    [Function(nameof(DeleteModelAlias))]
    public Task<IResult> DeleteModelAlias(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = Routes.ModelAlias)] HttpRequest request, string name, string alias, CancellationToken cancellationToken) =>
        models.DeleteAliasAsync(request, name, alias, cancellationToken);

    [Function(nameof(GetModelHistory))]
    public Task<IResult> GetModelHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelHistory)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        models.HistoryAsync(request, name, cancellationToken);
}
