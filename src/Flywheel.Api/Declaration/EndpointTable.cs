using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Flywheel.Api.Declaration;

/// <summary>
/// An <see cref="IEndpointRouteBuilder"/> that only collects what is mapped on it, for a host that does its own
/// routing (the Functions host routes each request to a function, which then runs the declared endpoint).
/// </summary>
public sealed class EndpointTable(IServiceProvider services) : IEndpointRouteBuilder
{
    public IServiceProvider ServiceProvider { get; } = services;

    public ICollection<EndpointDataSource> DataSources { get; } = [];

    public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(ServiceProvider);

    /// <summary>The endpoints <see cref="FlywheelApi.MapFlywheelApi"/> declares, built over <paramref name="services"/>.</summary>
    public static IReadOnlyList<DeclaredEndpoint> Declared(IServiceProvider services)
    {
        var table = new EndpointTable(services);
        table.MapFlywheelApi();
        return DeclaredEndpoint.All(table.DataSources);
    }
}
