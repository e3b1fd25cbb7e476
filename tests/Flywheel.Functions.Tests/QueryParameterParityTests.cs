using System.Text;
using Flywheel.Api.Routing;
using Flywheel.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flywheel.Functions.Tests;

public sealed class QueryParameterParityTests
{
    public static TheoryData<string, string, string, int> Requests() => new()
    {
        { "ListPipelines", "/api/pipelines", "?model=x&status=Running", 400 },
        { "GetDatasetVersion", "/api/datasets/adult/versions/1", "?verbose", 400 },
        { "OipModel", "/v2/models/iris", "?verbose=1", 400 },
        { "ListRuns", "/api/runs", "?model=m&FILTER=&code=key", 200 },
        { "GetHealth", "/api/health", "?code=key", 200 },
        { "GetModelCard", "/api/models/iris/versions/1/card", "?format=html", 200 },
        { "GetModelCard", "/api/models/iris/versions/1/card", "?fmt=html", 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task The_query_check_gives_the_same_answer_from_both_hosts(string function, string path, string query, int status)
    {
        var route = QueryParameterMiddleware.RoutesByFunction[function];

        var local = await LocalHostAsync(route, path, query);
        var functions = await FunctionsAsync(function, path, query);

        Assert.Equal(status, local.Status);
        Assert.Equal(local, functions);
    }

    [Fact]
    public void Every_route_that_declares_query_parameters_is_served_by_a_function()
    {
        var served = QueryParameterMiddleware.RoutesByFunction.Values.ToHashSet(StringComparer.Ordinal);

        Assert.All(QueryParameters.DeclaredRoutes, route => Assert.Contains(route, served));
    }

    private static async Task<Answer> LocalHostAsync(string route, string path, string query)
    {
        await using var services = Services();
        var app = new ApplicationBuilder(services);
        app.UseFlywheelFailures();
        app.UseFlywheelQueryParameters();
        app.Run(context => context.Response.WriteAsync("handled"));
        var context = Context(services, path, query);
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(route), 0, EndpointMetadataCollection.Empty, route));
        await app.Build()(context);
        return Answer.Read(context);
    }

    private static async Task<Answer> FunctionsAsync(string function, string path, string query)
    {
        await using var services = Services();
        var context = Context(services, path, query);
        var invocation = new FakeFunctionContext(services, function);
        invocation.Items["HttpRequestContext"] = context;
        await new FailureMiddleware(NullLogger<FailureMiddleware>.Instance).Invoke(invocation,
            next => new QueryParameterMiddleware().Invoke(next, _ => context.Response.WriteAsync("handled")));
        return Answer.Read(context);
    }

    private static ServiceProvider Services() => new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    private static DefaultHttpContext Context(IServiceProvider services, string path, string query)
    {
        var context = new DefaultHttpContext { RequestServices = services, TraceIdentifier = "trace-1" };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private sealed record Answer(int Status, string? ContentType, string Body)
    {
        public static Answer Read(HttpContext context) =>
            new(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }
}
