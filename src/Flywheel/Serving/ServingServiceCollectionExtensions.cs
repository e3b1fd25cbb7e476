using Flywheel.Serving;
using Flywheel.Serving.Observation;
using Flywheel.Serving.Routing;
using Flywheel.Serving.Runtime;
using Flywheel.Serving.Signal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServingServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelServing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServingOptions>().Bind(configuration.GetSection(ServingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ModelSessionCache>();
        services.AddSingleton<TargetResolver>();
        // Signal off (ServingOptions.Signal): nothing counts it, so the flusher has nothing to write.
        services.AddSingleton(sp => new ServingStats(sp.GetRequiredService<IOptions<ServingOptions>>().Value.Signal ? sp.GetRequiredService<ServingSignal>() : null));
        services.AddSingleton<ServingSignal>();
        services.AddSingleton(SignalInstance.Current());
        services.AddSingleton<SignalStore>();
        services.AddSingleton<SignalFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<SignalFlusher>());
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<Predictor>();
        services.AddSingleton<IVersionScorer>(sp => sp.GetRequiredService<Predictor>());
        services.AddSingleton<ServedPredictions>();
        services.AddSingleton<TensorInference>();
        services.AddSingleton<PredictionLog>();
        services.AddHostedService(sp => sp.GetRequiredService<PredictionLog>());
        services.AddSingleton<ShadowScoring>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowScoring>());
        return services;
    }
}
