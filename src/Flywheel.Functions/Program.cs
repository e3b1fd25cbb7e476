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

// host.json sets telemetryMode OpenTelemetry; the worker exports its own spans and Flywheel's meters.
var telemetry = builder.Services.AddOpenTelemetry()
    .UseFunctionsWorkerDefaults()
    .WithMetrics(metrics => metrics.AddMeter([.. FlywheelTelemetry.Meters]))
    .WithTracing(tracing => tracing.AddSource([.. FlywheelTelemetry.ActivitySources]));
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    telemetry.UseAzureMonitorExporter();
}

builder.Build().Run();
