using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flywheel.Api.Routing;

/// <summary>
/// What both hosts check on a routed request before its handler runs, in this order: the query names only
/// parameters the route reads (<see cref="QueryParameters"/>), and the route's <c>{name}</c> is a valid name of the
/// kind its group declares (<see cref="RouteName"/>). A failure throws the 400 that each host's one failure mapping
/// answers, so LocalHost (a middleware after routing) and the Functions app (before the generated function runs the
/// endpoint) answer alike.
/// </summary>
public static class DeclaredRequest
{
    /// <summary>The route as declared, without the leading slash a group's pattern may carry: the key of <see cref="QueryParameters"/>.</summary>
    public static string Route(RouteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.RoutePattern.RawText?.Trim('/') ?? string.Empty;
    }

    public static void Check(RouteEndpoint endpoint, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(request);
        if (request.QueryString.HasValue)
        {
            QueryParameters.Check(Route(endpoint), request);
        }

        if (endpoint.Metadata.GetMetadata<RouteName>() is { } name && request.RouteValues[RouteName.Parameter] is string value)
        {
            ResourceName.Check(name.Kind, value);
        }
    }
}
