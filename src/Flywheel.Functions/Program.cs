using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Flywheel;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddFlywheelApi(builder.Configuration);

// host.json sets telemetryMode OpenTelemetry; the worker exports its logs, its own spans and Flywheel's meters.
var telemetry = builder.Services.AddOpenTelemetry()
    .UseFunctionsWorkerDefaults()
    .WithMetrics(metrics => metrics.AddMeter([.. FlywheelTelemetry.Meters]))
    .WithTracing(tracing => tracing.AddSource([.. FlywheelTelemetry.ActivitySources]));
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    // Application Insights takes only Entra-authenticated ingestion (local auth is disabled in infra/);
    // AZURE_CLIENT_ID points DefaultAzureCredential at the app's user-assigned identity.
    telemetry.UseAzureMonitorExporter(exporter => exporter.Credential = new DefaultAzureCredential());
}

builder.Build().Run();
