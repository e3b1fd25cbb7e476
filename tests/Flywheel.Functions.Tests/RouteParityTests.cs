using System.Reflection;
using Flywheel.Functions.Health;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests;

public sealed class RouteParityTests
{
    [Fact]
    public void Every_http_function_has_the_same_route_methods_and_name_in_LocalHost()
    {
        var functions = FunctionRoutes();
        var local = LocalHostRoutes();

        Assert.NotEmpty(functions);
        Assert.Equal(functions, local);
    }

    [Fact]
    public void Function_names_are_unique()
    {
        var names = typeof(HealthFunctions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods())
            .Select(method => method.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    private static SortedSet<string> FunctionRoutes()
    {
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var method in typeof(HealthFunctions).Assembly.GetTypes().SelectMany(type => type.GetMethods()))
        {
            var trigger = method.GetParameters()
                .Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>())
                .OfType<HttpTriggerAttribute>()
                .SingleOrDefault();
            if (trigger is null)
            {
                continue;
            }

            Assert.False(string.IsNullOrEmpty(trigger.Route), $"{method.Name} has no route.");
            foreach (var verb in trigger.Methods ?? [])
            {
                routes.Add($"{verb.ToUpperInvariant()} {trigger.Route} {method.GetCustomAttribute<FunctionAttribute>()?.Name}");
            }
        }

        return routes;
    }

    private static SortedSet<string> LocalHostRoutes()
    {
        using var factory = new WebApplicationFactory<LocalHost.Program>();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            foreach (var verb in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                routes.Add($"{verb} {endpoint.RoutePattern.RawText} {endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName}");
            }
        }

        return routes;
    }
}
