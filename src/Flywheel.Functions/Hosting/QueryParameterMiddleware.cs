using System.Collections.Frozen;
using System.Reflection;
using Flywheel.Api.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Flywheel.Functions.Hosting;

/// <summary>
/// The Functions worker's half of the query check: before an HTTP function runs, a query naming a
/// parameter its route does not read (<see cref="QueryParameters"/>) throws the 400, which
/// <see cref="FailureMiddleware"/> answers exactly as LocalHost does.
/// </summary>
public sealed class QueryParameterMiddleware : IFunctionsWorkerMiddleware
{
    /// <summary>Each HTTP function's route, read once from its trigger attribute (the worker's definition names only the function).</summary>
    internal static FrozenDictionary<string, string> RoutesByFunction { get; } = typeof(QueryParameterMiddleware).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods())
        .Select(method => (
            Name: method.GetCustomAttribute<FunctionAttribute>()?.Name,
            method.GetParameters().Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().SingleOrDefault()?.Route))
        .Where(function => function is { Name: not null, Route: not null })
        .ToFrozenDictionary(function => function.Name!, function => function.Route!, StringComparer.Ordinal);

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { Request.QueryString.HasValue: true } http && RoutesByFunction.TryGetValue(context.FunctionDefinition.Name, out var route))
        {
            QueryParameters.Check(route, http.Request);
        }

        return next(context);
    }
}
