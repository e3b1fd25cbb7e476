using Flywheel.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

public static class FailureApplicationBuilderExtensions
{
    /// <summary>Answers every exception a handler lets escape through <see cref="FailureResponse"/> (LocalHost's half of the one error path).</summary>
    public static IApplicationBuilder UseFlywheelFailures(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FailureResponse).FullName!);
        return app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                await FailureResponse.WriteAsync(context, ex, logger).ConfigureAwait(false);
            }
        });
    }
}
