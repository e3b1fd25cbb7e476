using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Monitoring;

/// <summary>
/// The comparison of <c>GET api/datasets/{name}/drift</c>: <c>reference</c> (required) and <c>current</c> (default latest)
/// as version numbers or latest, the <c>method</c> (default auto), a <c>threshold</c> and the <c>format</c> (json or html).
/// </summary>
public sealed record DatasetDriftQuery(
    [FromQuery(Name = "reference")] string? Reference,
    [FromQuery(Name = "current")] string? Current,
    [FromQuery(Name = "method")] string? Method,
    [FromQuery(Name = "threshold")] string? Threshold,
    [FromQuery(Name = "format")] string? Format);
