using Flywheel.Api.Pipelines;
using Flywheel.Pipelines;
using Flywheel.LocalHost.Pipelines;
using Microsoft.DurableTask.Worker;

namespace Microsoft.Extensions.DependencyInjection;

internal static class LocalEngineServiceCollectionExtensions
{
    /// <summary>The orchestrations, registered as the Functions host registers them, on the local Durable Task Framework engine.</summary>
    public static IServiceCollection AddLocalPipelineEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalEngineOptions>().Bind(configuration.GetSection(LocalEngineOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocalEngine>();
        services.AddSingleton<IPipelineClient, LocalPipelineClient>();
        services.AddDurableTaskWorker()
            .AddTasks(registry => registry.AddFlywheelTasks())
            .UseBuildTarget<LocalEngineWorker>();
        return services;
    }
}
