using Flywheel.Api.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Flywheel.Functions.Hosting;

/// <summary>
/// The Functions worker's half of the one error path: an exception an HTTP function lets escape is
/// answered through <see cref="FailureResponse"/>, exactly as LocalHost answers it, instead of the
/// host's bare 500. Non-HTTP triggers rethrow, so the host's retry and poison handling still apply.
/// </summary>
public sealed class FailureMiddleware(ILogger<FailureMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            await FailureResponse.WriteAsync(http, ex, logger).ConfigureAwait(false);
        }
    }
}
