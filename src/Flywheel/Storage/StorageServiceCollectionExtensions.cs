using Flywheel.Health;
using Flywheel.Storage;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the storage clients and the storage health probe, configured from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddFlywheelStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Configure(options => StorageConfiguration.Bind(configuration, options)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageClients>();
        services.AddSingleton<StorageHealthProbe>();
        return services;
    }
}
