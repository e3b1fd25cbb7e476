using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class QueryParameterApplicationBuilderExtensions
{
    /// <summary>
    /// LocalHost's half of the query check: after routing, a request whose query names a parameter
    /// its route does not read (<see cref="QueryParameters"/>) is answered 400 before the handler
    /// runs. The Functions worker runs the same check in its middleware.
    /// </summary>
    public static IApplicationBuilder UseFlywheelQueryParameters(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((HttpContext context, RequestDelegate next) =>
        {
            if (context.Request.QueryString.HasValue && context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern })
            {
                QueryParameters.Check(pattern.Trim('/'), context.Request);
            }

            return next(context);
        });
    }
}
