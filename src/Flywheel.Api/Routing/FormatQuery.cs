using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Routing;

/// <summary><c>?format=</c> of the routes that answer a page or a document: each route says which formats it writes.</summary>
public sealed record FormatQuery
{
    [FromQuery(Name = "format")]
    public string? Format { get; init; }
}
