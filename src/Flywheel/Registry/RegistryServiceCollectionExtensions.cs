using Flywheel.Registry;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class RegistryServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegistryOptions>().Bind(configuration.GetSection(RegistryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ModelBlobs>();
        services.AddSingleton<ModelRegistry>();
        return services;
    }
}
