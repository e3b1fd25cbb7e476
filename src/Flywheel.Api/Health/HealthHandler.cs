using Flywheel.Contracts.Health;
using Flywheel.Health;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Health;

/// <summary><c>GET api/health</c>: 200 when every storage service answers, 503 naming the one that does not.</summary>
public sealed class HealthHandler(StorageHealthProbe probe)
{
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await probe.CheckAsync(cancellationToken).ConfigureAwait(false);
        var body = new HealthResponse(report.Healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy, report.Checks, FlywheelVersion.Informational);
        return Results.Json(body, statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
