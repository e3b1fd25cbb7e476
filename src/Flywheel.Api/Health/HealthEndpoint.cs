using Flywheel.Health;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Health;

/// <summary>The body of <c>GET api/health</c>.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks, string Version);

/// <summary><c>GET api/health</c>: 200 when every storage service answers, 503 naming the one that does not.</summary>
public sealed class HealthEndpoint(StorageHealthProbe probe)
{
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await probe.CheckAsync(cancellationToken).ConfigureAwait(false);
        var body = new HealthResponse(report.Healthy ? "healthy" : "unhealthy", report.Checks, FlywheelVersion.Informational);
        return Results.Json(body, statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
