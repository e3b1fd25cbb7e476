using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Monitoring;

/// <summary>
/// The comparison of <c>GET api/datasets/{name}/drift</c>: <c>reference</c> (required) and <c>current</c> (default latest)
/// as version numbers or latest, the <c>method</c> (default auto), a <c>threshold</c> and the <c>format</c> (json or html).
/// </summary>
public sealed record DatasetDriftQuery
{
    [FromQuery(Name = "reference")]
    public string? Reference { get; init; }

    [FromQuery(Name = "current")]
    public string? Current { get; init; }

    [FromQuery(Name = "method")]
    public string? Method { get; init; }

    [FromQuery(Name = "threshold")]
    public string? Threshold { get; init; }

    [FromQuery(Name = "format")]
    public string? Format { get; init; }
}
