using Flywheel.Api.Declaration;
using Flywheel.Api.Routing;
using Flywheel.Functions.Hosting;
using Flywheel.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flywheel.Functions.Tests;

/// <summary>A query naming a parameter the route does not read, or a route name that is no name, gets the same answer from LocalHost's pipeline and a generated function.</summary>
public sealed class QueryParameterParityTests
{
    public static TheoryData<string, string, string, int> Requests() => new()
    {
        { "ListPipelines", "/api/pipelines", "?model=x&status=Running", 400 },
        { "GetDatasetVersion", "/api/datasets/adult/versions/1", "?verbose", 400 },
        { "OipModel", "/v2/models/iris", "?verbose=1", 400 },
        { "ListRuns", "/api/runs", "?model=qp-model&PAGESIZE=5&code=key", 200 },
        { "GetHealth", "/api/health", "?code=key", 200 },
        { "GetModelCard", "/api/models/iris/versions/1/card", "?format=html", 404 },
        { "GetModelCard", "/api/models/iris/versions/1/card", "?fmt=html", 400 },
        { "GetDataset", "/api/datasets/x", "", 400 },
        { "GetModelMonitoring", "/api/models/Not_A_Name/monitoring", "", 400 },
        { "GetDatasetDrift", "/api/datasets/ok-name/drift", "?bogus=1", 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task The_query_check_gives_the_same_answer_from_both_hosts(string function, string path, string query, int status)
    {
        await using var services = Services();

        var local = await LocalHostAsync(services, path, query);
        var functions = await FunctionsAsync(services, function, path, query);

        Assert.True(status == local.Status, $"LocalHost answered {local.Status}: {local.Body}");
        Assert.Equal(local with { Headers = null! }, functions with { Headers = null! });
    }

    [Fact]
    public void Every_route_that_declares_query_parameters_is_a_declared_endpoint()
    {
        using var services = Services();
        var declared = EndpointTable.Declared(services).Select(e => e.Route).ToHashSet(StringComparer.Ordinal);

        Assert.All(QueryParameters.DeclaredRoutes, route => Assert.Contains(route, declared));
    }

    /// <summary>LocalHost's pipeline, in its order, over the real endpoints.</summary>
    private static async Task<HttpInvocation.Answer> LocalHostAsync(IServiceProvider services, string path, string query)
    {
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.UseFlywheelFailures();
        app.UseFlywheelRequestChecks();
        app.UseEndpoints(endpoints => endpoints.MapFlywheelApi());
        var context = HttpInvocation.Context(services, "GET", path, query);
        await app.Build()(context);
        return HttpInvocation.Answer.Read(context);
    }

    /// <summary>The worker's failure middleware around the generated function's call.</summary>
    private static async Task<HttpInvocation.Answer> FunctionsAsync(IServiceProvider services, string function, string path, string query)
    {
        var context = HttpInvocation.Context(services, "GET", path, query);
        var invocation = new FakeFunctionContext(services, function);
        invocation.Items["HttpRequestContext"] = context;
        var endpoints = services.GetRequiredService<DeclaredEndpoints>();
        await new FailureMiddleware(NullLogger<FailureMiddleware>.Instance).Invoke(invocation, _ => endpoints.InvokeAsync(function, context.Request, null));
        return HttpInvocation.Answer.Read(context);
    }

    private static ServiceProvider Services() =>
        DatasetFunctionsTests.Collection().AddRouting().AddSingleton(new System.Diagnostics.DiagnosticListener("query-parity")).BuildServiceProvider();
}
