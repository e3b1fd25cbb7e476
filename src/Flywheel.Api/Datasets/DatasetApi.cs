using Flywheel.Api.Datasets;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The dataset routes for hosts that route with ASP.NET Core (LocalHost); endpoint names are the Functions' function names.</summary>
public static class DatasetApi
{
    public static IEndpointRouteBuilder MapDatasetApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut(Routes.Dataset, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.PutAsync(r, name, ct)).WithName("PutDataset");
        endpoints.MapGet(Routes.Dataset, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.GetAsync(r, name, ct)).WithName("GetDataset");
        endpoints.MapGet(Routes.Datasets, (HttpRequest r, DatasetEndpoints d, CancellationToken ct) => d.ListAsync(r, ct)).WithName("ListDatasets");
        endpoints.MapGet(Routes.DatasetVersions, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.ListVersionsAsync(r, name, ct)).WithName("ListDatasetVersions");
        endpoints.MapGet(Routes.DatasetVersion, (HttpRequest r, string name, string version, DatasetEndpoints d, CancellationToken ct) => d.GetVersionAsync(r, name, version, ct)).WithName("GetDatasetVersion");
        endpoints.MapGet(Routes.DatasetContent, (HttpRequest r, string name, string version, DatasetEndpoints d, CancellationToken ct) => d.GetContentAsync(r, name, version, ct)).WithName("GetDatasetContent");
        endpoints.MapGet(Routes.DatasetDiff, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.DiffAsync(r, name, ct)).WithName("DiffDataset");
        endpoints.MapPut(Routes.DatasetContract, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.PutContractAsync(r, name, ct)).WithName("PutDatasetContract");
        endpoints.MapGet(Routes.DatasetContract, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.GetContractAsync(r, name, ct)).WithName("GetDatasetContract");
        endpoints.MapGet(Routes.DatasetQuarantine, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.ListQuarantineAsync(r, name, ct)).WithName("ListDatasetQuarantine");
        return endpoints;
    }
}
