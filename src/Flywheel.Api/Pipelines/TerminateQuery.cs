using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Pipelines;

/// <summary><c>?reason=</c> of a terminate: recorded with the run (and passed to the engine) when given.</summary>
public sealed record TerminateQuery
{
    [FromQuery(Name = "reason")]
    public string? Reason { get; init; }
}
