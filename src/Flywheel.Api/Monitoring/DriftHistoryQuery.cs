using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Monitoring;

/// <summary><c>?from=&amp;to=</c> of a model's monitoring history: window ends, ISO 8601, either optional.</summary>
public sealed record DriftHistoryQuery
{
    [FromQuery(Name = "from")]
    public string? From { get; init; }

    [FromQuery(Name = "to")]
    public string? To { get; init; }

    /// <summary>The window; a time that does not parse, or a from after the to, is a 400.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Window()
    {
        var from = Time(From, "from");
        var to = Time(To, "to");
        return from > to
            ? throw MonitoringHandlers.Invalid($"from ({from:u}) must not be after to ({to:u}).")
            : (from, to);
    }

    private static DateTimeOffset? Time(string? text, string parameter) =>
        QueryValue.Time(text, bad => $"{parameter} must be an ISO 8601 time such as 2026-12-01T00:00:00Z; it is '{bad}'.");
}
