namespace Flywheel.LocalHost;

/// <summary>Flywheel on Kestrel: the local twin of the Functions host, on the same routes, handlers and orchestrations.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static void Main(string[] args)
    {
        // appsettings.json beside the binary, wherever the process starts from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddFlywheelApi(builder.Configuration);
        builder.Services.AddLocalPipelineEngine(builder.Configuration);
        builder.Services.AddHostedService<LandingWatcher>();
        builder.Services.AddHostedService<MonitoringTimer>();
        builder.Services.AddHostedService<RetrainingTimer>();
        builder.AddLocalTelemetry();

        // Uploads are streamed and limited by Flywheel:Datasets:MaxUploadBytes, not by Kestrel's 30 MB default.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        var app = builder.Build();
        app.UseFlywheelFailures();
        app.UseFlywheelApiKey();
        app.UseFlywheelRequestChecks();
        app.UseStatusCodePages();
        app.MapFlywheelApi();
        app.Run();
    }
}
