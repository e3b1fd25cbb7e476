using Flywheel.Client;
using Flywheel.Client.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class FlywheelClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FlywheelClient"/> as a typed client of <c>IHttpClientFactory</c> (pooled handlers, DNS refresh)
    /// with the options' retry pipeline, options bound by <paramref name="configure"/> and validated when first used.
    /// </summary>
    public static IHttpClientBuilder AddFlywheelClient(this IServiceCollection services, Action<FlywheelClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<FlywheelClientOptions>().Configure(configure).Validate(o =>
        {
            o.Validate();
            return true;
        });
        return services.AddHttpClient(nameof(FlywheelClient)).AddTypedClient<FlywheelClient>(Create)
            .ConfigurePrimaryHttpMessageHandler(FlywheelClient.NoRedirects)
            .AddHttpMessageHandler(provider => RetryHandler.CreateOuter(provider.GetRequiredService<IOptions<FlywheelClientOptions>>().Value));
    }

    private static FlywheelClient Create(HttpClient http, IServiceProvider provider)
    {
        // The retry pipeline times each attempt; HttpClient's own timeout would cut across retries and their waits.
        http.Timeout = Timeout.InfiniteTimeSpan;
        return new FlywheelClient(http, provider.GetRequiredService<IOptions<FlywheelClientOptions>>().Value, provider.GetService<TimeProvider>());
    }
}
