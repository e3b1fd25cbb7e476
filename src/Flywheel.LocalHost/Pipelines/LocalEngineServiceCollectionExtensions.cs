using Flywheel.Api.Pipelines;
using Flywheel.Pipelines;
using Flywheel.LocalHost.Pipelines;
using Microsoft.DurableTask.Worker;

namespace Microsoft.Extensions.DependencyInjection;

public static class LocalEngineServiceCollectionExtensions
{
    /// <summary>The orchestrations, registered as the Functions host registers them, on the local Durable Task Framework engine.</summary>
    /// <param name="moreTasks">Tasks beside Flywheel's own (benchmarks register probes here).</param>
    public static IServiceCollection AddLocalPipelineEngine(this IServiceCollection services, IConfiguration configuration, Action<Microsoft.DurableTask.DurableTaskRegistry>? moreTasks = null)
    {
        services.AddOptions<LocalEngineOptions>().Bind(configuration.GetSection(LocalEngineOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocalEngine>();
        services.AddSingleton<IPipelineClient, LocalPipelineClient>();
        services.AddDurableTaskWorker()
            .AddTasks(registry =>
            {
                registry.AddFlywheelTasks();
                moreTasks?.Invoke(registry);
            })
            .UseBuildTarget<LocalEngineWorker>();
        return services;
    }
}
