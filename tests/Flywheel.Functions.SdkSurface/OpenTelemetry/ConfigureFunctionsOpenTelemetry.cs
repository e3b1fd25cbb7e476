using Microsoft.Azure.Functions.Worker.SdkSurface;
using OpenTelemetry;

namespace Microsoft.Azure.Functions.Worker.OpenTelemetry;

public static class ConfigureFunctionsOpenTelemetry
{
    public static IOpenTelemetryBuilder UseFunctionsWorkerDefaults(this IOpenTelemetryBuilder builder) => throw SurfaceOnly.Member();
}
