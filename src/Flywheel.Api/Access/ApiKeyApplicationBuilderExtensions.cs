using System.Security.Cryptography;
using System.Text;
using Flywheel.Api.Access;
using Flywheel.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class ApiKeyApplicationBuilderExtensions
{
    /// <summary>
    /// LocalHost's stand-in for function keys: with <see cref="AccessOptions.ApiKey"/> set, a request
    /// that changes something (anything but GET, HEAD and predictions) needs <c>X-Api-Key</c>.
    /// Health and the Open Inference Protocol's health routes stay open for probes, the web console's files for browsers.
    /// </summary>
    public static IApplicationBuilder UseFlywheelApiKey(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<IOptions<AccessOptions>>().Value;
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            return app;
        }

        var expected = Encoding.UTF8.GetBytes(options.ApiKey);
        return app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var request = context.Request;
            if (!NeedsKey(request, options.ApiKeyForReads)
                || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers[Caller.ApiKeyHeader].ToString()), expected))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            await Problem.Of(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "A key is required",
                $"Send the API key (Flywheel:Access:ApiKey) in the {Caller.ApiKeyHeader} header.").ExecuteAsync(context).ConfigureAwait(false);
        });
    }

    private static bool NeedsKey(HttpRequest request, bool reads)
    {
        var path = request.Path;
        // The console's shell and files hold no data (every call they make is held to the key), and a browser
        // cannot send a header on navigation: without them open, there would be no page to paste the key into.
        if (path.StartsWithSegments("/api/health") || path.StartsWithSegments("/v2/health") || path.StartsWithSegments("/console"))
        {
            return false;
        }

        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || path.Value is { } value && (value.EndsWith("/predict", StringComparison.Ordinal) || value.EndsWith("/infer", StringComparison.Ordinal));
        return !read || reads;
    }
}
