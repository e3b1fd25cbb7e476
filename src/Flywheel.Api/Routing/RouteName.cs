using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Routing;

/// <summary>
/// Declares what a route's <c>{name}</c> value names ("dataset" or "model"), on a capability's group; both hosts
/// check the value against <see cref="ResourceName"/> before any handler runs (<see cref="DeclaredRequest"/>), so no
/// handler guards its own name.
/// </summary>
public sealed record RouteName(string Kind)
{
    public const string Parameter = "name";
}

public static class RouteNameExtensions
{
    /// <summary>Says that <c>{name}</c> in these routes names a <paramref name="kind"/> ("dataset" or "model").</summary>
    public static TBuilder Naming<TBuilder>(this TBuilder builder, string kind) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RouteName(kind));
}
