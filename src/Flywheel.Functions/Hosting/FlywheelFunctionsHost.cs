using System.Globalization;
using Azure.Core.Serialization;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Flywheel;
using Flywheel.Pipelines;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Flywheel.Functions.Hosting;

/// <summary>The Functions worker's whole set-up, in one place so tests build exactly the host Azure runs.</summary>
public static class FlywheelFunctionsHost
{
    public static FunctionsApplicationBuilder ConfigureFlywheel(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<FailureMiddleware>();
        builder.Services.AddFlywheelApi(builder.Configuration);
        builder.Services.AddSingleton<Http.DeclaredEndpoints>();
        builder.Services.AddHostedService<Datasets.LandingContainerSetup>();

        // App Service authentication sets the principal header (and drops a client's) only when it is on.
        builder.Services.PostConfigure<Flywheel.Api.Access.AccessOptions>(access =>
            access.TrustPrincipalHeader |= string.Equals(builder.Configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase));

        // The same orchestrations and activities LocalHost runs on the Durable Task Framework engine.
        // Durable Functions serializes payloads with the worker's ObjectSerializer (it ignores a
        // DataConverter service), so that serializer gets the options LocalHost's converter uses.
        builder.ConfigureDurableWorker().AddTasks(registry => registry.AddFlywheelTasks());
        builder.Services.Configure<WorkerOptions>(worker => worker.Serializer = new JsonObjectSerializer(Json.Options));

        // host.json sets telemetryMode OpenTelemetry; the worker exports its logs, its own spans and Flywheel's meters.
        var telemetry = builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter([.. FlywheelTelemetry.Meters]))
            .WithTracing(tracing => tracing.AddSource([.. FlywheelTelemetry.ActivitySources]));
        if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            // Application Insights takes only Entra-authenticated ingestion (local auth is disabled in infra/);
            // AZURE_CLIENT_ID points DefaultAzureCredential at the app's user-assigned identity.
            var samplingRatio = SamplingRatio(builder.Configuration);
            telemetry.UseAzureMonitorExporter(exporter =>
            {
                exporter.Credential = new DefaultAzureCredential();

                // A fixed share (infra/main.bicep's telemetrySamplingRatio), not a rate limit: a rate limit
                // would win over the ratio and cap traces whatever the operator chose.
                exporter.SamplingRatio = samplingRatio;
                exporter.TracesPerSecond = null;
            });
        }
        else
        {
            // In OpenTelemetry mode the host no longer relays the worker's logs; with no exporter (func start,
            // the local host) the console is the only place they can go, and the host shows the worker's console.
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }

        return builder;
    }

    /// <summary>Setting that names the share of traces exported to Application Insights (0 to 1, default 1: all).</summary>
    public const string SamplingRatioSetting = "Flywheel:Telemetry:SamplingRatio";

    /// <summary>The share of traces to export; a value outside (0, 1] stops the start-up with the setting's name rather than exporting nothing or failing later.</summary>
    public static float SamplingRatio(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[SamplingRatioSetting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1.0F;
        }

        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is > 0 and <= 1
            ? ratio
            : throw new InvalidOperationException($"{SamplingRatioSetting.Replace(":", "__", StringComparison.Ordinal)} '{text}' is not a share of traces above 0 and at most 1.");
    }
}
