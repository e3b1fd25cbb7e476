using Flywheel.Events;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class EventServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventOptions>().Bind(configuration.GetSection(EventOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(nameof(EventPublisher), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<EventPublisher>();
        return services;
    }
}
