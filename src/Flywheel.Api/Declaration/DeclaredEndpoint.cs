using Flywheel.Api.Pipelines;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flywheel.Api.Declaration;

/// <summary>
/// One HTTP endpoint as <see cref="Microsoft.AspNetCore.Builder.FlywheelApi.MapFlywheelApi"/> declares it: what
/// LocalHost routes, what the Functions triggers are generated from and what the OpenAPI document describes.
/// </summary>
/// <param name="Name">The endpoint's name (<c>WithName</c>), which is also its Functions function name.</param>
/// <param name="Method">The one HTTP method it answers.</param>
/// <param name="Route">Its route template without a leading slash, as a Functions trigger takes it.</param>
/// <param name="Anonymous">Whether it answers without a key (<c>AllowAnonymous</c>): health probes and the home page.</param>
/// <param name="StartsWorkflows">Whether its handler takes the workflow client, which on Functions comes from a <c>[DurableClient]</c> binding.</param>
/// <param name="Endpoint">The routed endpoint, whose request delegate both hosts run.</param>
public sealed record DeclaredEndpoint(string Name, string Method, string Route, bool Anonymous, bool StartsWorkflows, RouteEndpoint Endpoint)
{
    /// <summary>Every endpoint <paramref name="endpoints"/> holds, by name; each must have a name and exactly one method.</summary>
    public static IReadOnlyList<DeclaredEndpoint> All(IEnumerable<EndpointDataSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return [.. sources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>().Select(From).OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>Reads one endpoint's declaration; an endpoint without a name or with other than one method is a declaration mistake.</summary>
    public static DeclaredEndpoint From(RouteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var route = Routing.DeclaredRequest.Route(endpoint);
        var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
            ?? throw new InvalidOperationException($"The endpoint at '{route}' has no name: declare it WithName, the name its Functions function gets.");
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
        if (methods.Count != 1)
        {
            throw new InvalidOperationException($"Endpoint {name} answers {methods.Count} methods; declare one method per endpoint.");
        }

        var startsWorkflows = endpoint.Metadata.OfType<System.Reflection.MethodInfo>()
            .Any(handler => handler.GetParameters().Any(parameter => parameter.ParameterType == typeof(WorkflowClient)));
        return new DeclaredEndpoint(name, methods[0], route, endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null, startsWorkflows, endpoint);
    }
}
