using Flywheel.Api.Home;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Home;

public sealed class HomeFunctions
{
    /// <summary>The site root: Route = "" is not served at "/" by the Functions host, so the route is <see cref="Routes.Home"/> (see there).</summary>
    [Function(nameof(GetHome))]
    public IResult GetHome([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Home)] HttpRequest request) => HomeEndpoint.Get(request);
}
