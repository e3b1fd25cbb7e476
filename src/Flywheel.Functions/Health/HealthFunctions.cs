using Flywheel.Api.Health;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Health;

public sealed class HealthFunctions(HealthEndpoint health)
{
    [Function(nameof(GetHealth))]
    public Task<IResult> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        health.GetAsync(request, cancellationToken);
}
