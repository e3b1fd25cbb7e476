using Flywheel.Api.Datasets;
using Flywheel.Api.Health;
using Flywheel.Api.Routing;

namespace Flywheel.LocalHost;

/// <summary>LocalHost's route table: the same <see cref="Routes"/> the Functions host declares, bound to the same handlers.</summary>
public static class FlywheelEndpoints
{
    public static IEndpointRouteBuilder MapFlywheelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Health, (HttpRequest r, HealthEndpoint h, CancellationToken ct) => h.GetAsync(r, ct));

        endpoints.MapPut(Routes.Dataset, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.PutAsync(r, name, ct));
        endpoints.MapGet(Routes.Datasets, (HttpRequest r, DatasetEndpoints d, CancellationToken ct) => d.ListAsync(r, ct));
        endpoints.MapGet(Routes.DatasetVersions, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.ListVersionsAsync(r, name, ct));
        endpoints.MapGet(Routes.DatasetVersion, (HttpRequest r, string name, string version, DatasetEndpoints d, CancellationToken ct) => d.GetVersionAsync(r, name, version, ct));
        endpoints.MapGet(Routes.DatasetContent, (HttpRequest r, string name, string version, DatasetEndpoints d, CancellationToken ct) => d.GetContentAsync(r, name, version, ct));
        endpoints.MapGet(Routes.DatasetDiff, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.DiffAsync(r, name, ct));
        endpoints.MapPut(Routes.DatasetContract, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.PutContractAsync(r, name, ct));
        endpoints.MapGet(Routes.DatasetContract, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.GetContractAsync(r, name, ct));
        endpoints.MapGet(Routes.DatasetQuarantine, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.ListQuarantineAsync(r, name, ct));
        return endpoints;
    }
}
