using System.Collections.Frozen;
using Flywheel.Api.Declaration;
using Flywheel.Api.Pipelines;
using Flywheel.Api.Routing;
using Flywheel.Functions.Pipelines;
using Flywheel.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.DurableTask.Client;

namespace Flywheel.Functions.Http;

/// <summary>
/// The endpoints the API declares, built once over the worker's services. The Functions host routes each request
/// to the generated function named after its endpoint (<c>HttpFunctions</c>), which hands it here to run the same
/// request delegate LocalHost runs: same binding, same handler, same response.
/// </summary>
public sealed class DeclaredEndpoints
{
    private readonly FrozenDictionary<string, Entry> _entries;

    public DeclaredEndpoints(IServiceProvider services)
    {
        _entries = EndpointTable.Declared(services).ToFrozenDictionary(
            endpoint => endpoint.Name,
            endpoint => new Entry(endpoint, new TemplateMatcher(TemplateParser.Parse(endpoint.Route), [])),
            StringComparer.Ordinal);
    }

    /// <summary>Runs endpoint <paramref name="name"/> on <paramref name="request"/>; <paramref name="client"/> is the invocation's Durable client where the endpoint starts workflows.</summary>
    public Task InvokeAsync(string name, HttpRequest request, DurableTaskClient? client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = _entries[name];
        var context = request.HttpContext;

        // The host matched the route already; its values are read again from the path, where the endpoint's
        // delegate binds them from, as routing would have put them on LocalHost.
        if (!entry.Matcher.TryMatch(request.Path, request.RouteValues))
        {
            throw new InvalidOperationException($"Function {name} was invoked for '{request.Path}', which its route '{entry.Endpoint.Route}' does not match.");
        }

        context.SetEndpoint(entry.Endpoint.Endpoint);
        DeclaredRequest.Check(entry.Endpoint.Endpoint, request);
        if (client is not null)
        {
            context.Features.Set<IPipelineClient>(new DurablePipelineClient(client));
        }

        return entry.Endpoint.Endpoint.RequestDelegate!(context);
    }

    private sealed record Entry(DeclaredEndpoint Endpoint, TemplateMatcher Matcher);
}
