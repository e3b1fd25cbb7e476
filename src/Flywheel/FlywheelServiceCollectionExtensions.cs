using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class FlywheelServiceCollectionExtensions
{
    /// <summary>Registers every Flywheel capability. Both hosts call this once; they differ only in how requests and triggers arrive.</summary>
    public static IServiceCollection AddFlywheel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);

        // The one source of routing, shadow and prediction-log sampling and run ids, so a test can seed it.
        // Random.Shared is thread-safe; a seeded Random is not, so only a single-threaded test should seed it.
        services.TryAddSingleton(Random.Shared);
        services.AddFlywheelStorage(configuration);
        services.AddFlywheelEvents(configuration);
        services.AddFlywheelDatasets(configuration);
        services.AddFlywheelRegistry(configuration);
        services.AddFlywheelServing(configuration);
        services.AddFlywheelPipelines(configuration);
        services.AddFlywheelTraining(configuration);
        services.AddFlywheelMonitoring(configuration);
        services.AddFlywheelRetraining(configuration);
        return services;
    }
}
