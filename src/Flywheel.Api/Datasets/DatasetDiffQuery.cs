using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Datasets;

/// <summary><c>?from=&amp;to=</c> of a dataset diff: version numbers or latest; to defaults to the latest, from to the one before it.</summary>
public sealed record DatasetDiffQuery
{
    [FromQuery(Name = "from")]
    public string? From { get; init; }

    [FromQuery(Name = "to")]
    public string? To { get; init; }
}
