using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class DeclaredRequestApplicationBuilderExtensions
{
    /// <summary>
    /// LocalHost's half of <see cref="DeclaredRequest.Check"/>: after routing and before the handler, a query naming a
    /// parameter the route does not read, or a <c>{name}</c> that is no valid name, is answered 400. The Functions app
    /// runs the same check before a generated function runs its endpoint.
    /// </summary>
    public static IApplicationBuilder UseFlywheelRequestChecks(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((HttpContext context, RequestDelegate next) =>
        {
            if (context.GetEndpoint() is RouteEndpoint endpoint)
            {
                DeclaredRequest.Check(endpoint, context.Request);
            }

            return next(context);
        });
    }
}
