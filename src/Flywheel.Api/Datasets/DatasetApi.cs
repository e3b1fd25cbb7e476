using Flywheel.Api;
using Flywheel.Api.Datasets;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The dataset routes: versions, content, contracts, quarantine and diffs.</summary>
public static class DatasetApi
{
    public static IEndpointRouteBuilder MapDatasetApi(this IEndpointRouteBuilder endpoints)
    {
        var datasets = endpoints.MapGroup(string.Empty).WithTags("Datasets").Naming("dataset")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        datasets.MapPut(Routes.Dataset, (HttpRequest r, string name, DatasetHandlers d, CancellationToken ct) => d.PutAsync(r, name, ct))
            .WithName("PutDataset").WithSummary("Upload a CSV as the dataset's next version")
            .WithDescription("The same bytes again answer the existing version (200); new content is a new version (201). A file that breaks the dataset's contract is quarantined (422).")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        datasets.MapGet(Routes.Dataset, (HttpRequest r, string name, DatasetHandlers d, CancellationToken ct) => d.GetAsync(r, name, ct))
            .WithName("GetDataset").WithSummary("Get a dataset's latest version");
        datasets.MapGet(Routes.Datasets, (HttpRequest r, [AsParameters] PageQuery p, DatasetHandlers d, CancellationToken ct) => d.ListAsync(r, p, ct))
            .WithName("ListDatasets").WithSummary("List datasets, a page at a time");
        datasets.MapGet(Routes.DatasetVersions, (HttpRequest r, [AsParameters] PageQuery p, string name, DatasetHandlers d, CancellationToken ct) => d.ListVersionsAsync(r, p, name, ct))
            .WithName("ListDatasetVersions").WithSummary("List a dataset's versions, oldest first");
        datasets.MapGet(Routes.DatasetVersion, (HttpRequest r, string name, string version, DatasetHandlers d, CancellationToken ct) => d.GetVersionAsync(r, name, version, ct))
            .WithName("GetDatasetVersion").WithSummary("Get one version: schema, profile and content hash");
        datasets.MapGet(Routes.DatasetContent, (HttpRequest r, string name, string version, DatasetHandlers d, CancellationToken ct) => d.GetContentAsync(r, name, version, ct))
            .WithName("GetDatasetContent").WithSummary("Download a version's CSV, byte for byte as uploaded")
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv", "application/vnd.apache.parquet");
        datasets.MapGet(Routes.DatasetDiff, ([AsParameters] DatasetDiffQuery q, string name, DatasetHandlers d, CancellationToken ct) => d.DiffAsync(q, name, ct))
            .WithName("DiffDataset").WithSummary("Compare two versions' schemas and profiles");
        datasets.MapPut(Routes.DatasetContract, (HttpRequest r, string name, DatasetHandlers d, CancellationToken ct) => d.PutContractAsync(r, name, ct))
            .WithName("PutDatasetContract").WithSummary("Set the contract every new version must meet");
        datasets.MapGet(Routes.DatasetContract, (HttpRequest r, string name, DatasetHandlers d, CancellationToken ct) => d.GetContractAsync(r, name, ct))
            .WithName("GetDatasetContract").WithSummary("Get the dataset's contract");
        datasets.MapGet(Routes.DatasetQuarantine, (HttpRequest r, [AsParameters] PageQuery p, string name, DatasetHandlers d, CancellationToken ct) => d.ListQuarantineAsync(r, p, name, ct))
            .WithName("ListDatasetQuarantine").WithSummary("List the uploads the contract turned away, with the reasons");
        return endpoints;
    }
}
