using System.Reflection;
using Flywheel.Api.Declaration;
using Flywheel.Functions.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests;

/// <summary>The Functions app's HTTP triggers are generated from the API's one declaration; these hold the generated code to it.</summary>
public sealed class RouteParityTests
{
    [Fact]
    public void The_generated_http_functions_equal_the_declared_endpoints_in_name_method_route_and_key_requirement()
    {
        var functions = FunctionTriggers();
        var declared = Declared();

        Assert.NotEmpty(functions);
        Assert.Equal(declared, functions);
    }

    [Fact]
    public void LocalHost_routes_exactly_the_declared_endpoints()
    {
        using var factory = new WebApplicationFactory<LocalHost.Program>();
        var local = DeclaredEndpoint.All([factory.Services.GetRequiredService<EndpointDataSource>()])
            .Select(e => $"{e.Method} {e.Route} {e.Name}").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Declared().Select(e => e[..e.LastIndexOf(' ')]).ToHashSet(StringComparer.Ordinal), local);
    }

    [Fact]
    public void Only_probes_the_home_page_the_api_reference_and_the_console_shell_answer_without_a_key()
    {
        var anonymous = Declared().Where(e => e.EndsWith(" Anonymous", StringComparison.Ordinal)).Select(e => e.Split(' ')[2]).Order(StringComparer.Ordinal);

        Assert.Equal(["GetApiDocs", "GetConsole", "GetConsoleFile", "GetHealth", "GetHome", "GetOpenApiDocument", "OipLive", "OipReady", "OipServer"], anonymous);
    }

    [Fact]
    public void Only_endpoints_that_start_or_steer_workflows_take_a_durable_client_binding()
    {
        var withClient = typeof(HttpFunctions).GetMethods()
            .Where(method => method.GetParameters().Any(parameter => parameter.GetCustomAttribute<DurableClientAttribute>() is not null))
            .Select(method => method.GetCustomAttribute<FunctionAttribute>()!.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["GetPipeline", "GetPipelineOutput", "ListPipelines", "RaisePipelineEvent", "StartBatchPredictions", "StartRetraining", "StartTraining", "TerminatePipeline", "TrainModel"], withClient);
    }

    [Fact]
    public void The_openapi_document_both_hosts_serve_describes_exactly_the_declared_endpoints_by_name()
    {
        using var services = DatasetFunctionsTests.Services();
        var declared = EndpointTable.Declared(services)
            .Where(e => e.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Select(e => $"{e.Method} /{e.Route} {e.Name}")
            .Order(StringComparer.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Api.Reference.ApiReference.FileName)));
        var described = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name} {operation.Value.GetProperty("operationId").GetString()}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(declared, described);
    }

    [Fact]
    public void The_openapi_document_lists_the_query_parameters_each_route_accepts()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Api.Reference.ApiReference.FileName)));
        var paths = document.RootElement.GetProperty("paths");
        // Scoring reads extraColumns off the binder (its fast path), so the document does not see it.
        var bound = Api.Routing.QueryParameters.DeclaredRoutes.Where(route => route is not (Contracts.Routes.Predict or Contracts.Routes.PredictVersion));

        Assert.All(bound, route =>
        {
            foreach (var operation in paths.GetProperty("/" + route).EnumerateObject())
            {
                var query = operation.Value.GetProperty("parameters").EnumerateArray()
                    .Where(parameter => parameter.GetProperty("in").GetString() == "query").Select(parameter => parameter.GetProperty("name").GetString());
                Assert.Equal(Api.Routing.QueryParameters.Accepted(route), query);
            }
        });
    }

    [Fact]
    public void Every_route_with_a_name_but_the_open_inference_protocol_says_what_it_names()
    {
        using var services = DatasetFunctionsTests.Services();
        var unnamed = EndpointTable.Declared(services)
            .Where(e => e.Route.Contains("{name}", StringComparison.Ordinal) && !e.Route.StartsWith("v2/", StringComparison.Ordinal))
            .Where(e => e.Endpoint.Metadata.GetMetadata<Api.Routing.RouteName>() is null)
            .Select(e => e.Name);

        Assert.Empty(unnamed);
    }

    [Fact]
    public void Function_names_are_unique()
    {
        var names = typeof(HttpFunctions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods())
            .Select(method => method.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    private static SortedSet<string> Declared()
    {
        using var services = DatasetFunctionsTests.Services();
        return new SortedSet<string>(
            EndpointTable.Declared(services).Select(e => $"{e.Method} {e.Route} {e.Name} {(e.Anonymous ? "Anonymous" : "Function")}"),
            StringComparer.Ordinal);
    }

    private static SortedSet<string> FunctionTriggers()
    {
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var method in typeof(HttpFunctions).Assembly.GetTypes().SelectMany(type => type.GetMethods()))
        {
            var trigger = method.GetParameters()
                .Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>())
                .OfType<HttpTriggerAttribute>()
                .SingleOrDefault();
            if (trigger is null)
            {
                continue;
            }

            foreach (var verb in trigger.Methods ?? [])
            {
                routes.Add($"{verb.ToUpperInvariant()} {trigger.Route} {method.GetCustomAttribute<FunctionAttribute>()?.Name} {trigger.AuthLevel}");
            }
        }

        return routes;
    }
}
