using Flywheel.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Api.Pipelines;

/// <summary>
/// The workflow client a request that starts or steers pipelines works with. The Functions host gets one per
/// invocation from the function's <c>[DurableClient]</c> binding and sets it as a request feature; LocalHost has
/// one in its services. Handlers take this parameter (not <see cref="IPipelineClient"/>) so the declaration
/// says which functions need the binding.
/// </summary>
public sealed class WorkflowClient(IPipelineClient client)
{
    public IPipelineClient Client { get; } = client;

    /// <summary>Binds the request's client: the feature the Functions host set, else the host's service.</summary>
    public static ValueTask<WorkflowClient?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = context.Features.Get<IPipelineClient>() ?? context.RequestServices.GetRequiredService<IPipelineClient>();
        return ValueTask.FromResult<WorkflowClient?>(new WorkflowClient(client));
    }
}
