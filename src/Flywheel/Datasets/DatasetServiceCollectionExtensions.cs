using Flywheel.Datasets;
using Flywheel.Datasets.Ingest;
using Flywheel.Datasets.Quarantine;
using Flywheel.Datasets.Versions;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class DatasetServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelDatasets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatasetOptions>().Bind(configuration.GetSection(DatasetOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<DatasetBlobs>();
        services.AddSingleton<QuarantineStore>();
        services.AddSingleton<DatasetQueries>();
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<DatasetIngestor>();
        services.AddSingleton<LandingProcessor>();
        return services;
    }
}
