namespace Flywheel.LocalHost;

/// <summary>Flywheel on Kestrel: the local twin of the Functions host, on the same routes and handlers.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddFlywheelApi(builder.Configuration);
        builder.AddLocalTelemetry();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapFlywheelEndpoints();
        app.Run();
    }
}
