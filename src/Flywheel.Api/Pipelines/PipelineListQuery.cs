using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Pipelines;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Pipelines;

/// <summary>
/// The filters of <c>GET api/pipelines</c>: a name, runtime statuses (repeated or comma-separated, any case)
/// and a creation window (ISO 8601). Each is optional; all given must match.
/// </summary>
public sealed record PipelineListQuery
{
    [FromQuery(Name = "name")]
    public string? Name { get; init; }

    [FromQuery(Name = "status")]
    public string[]? Status { get; init; }

    [FromQuery(Name = "createdFrom")]
    public string? CreatedFrom { get; init; }

    [FromQuery(Name = "createdTo")]
    public string? CreatedTo { get; init; }

    /// <summary>The engine's query for one page; a status or time it cannot read is a 400 naming it.</summary>
    public PipelineQuery ToQuery(int pageSize, string? continuationToken)
    {
        var statuses = (Status ?? []).SelectMany(s => (s ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => PipelineQuery.RuntimeStatuses.FirstOrDefault(known => string.Equals(known, s, StringComparison.OrdinalIgnoreCase))
                ?? throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidQuery, $"'{s}' is not a runtime status: use {string.Join(", ", PipelineQuery.RuntimeStatuses)}."))
            .ToList();
        return new PipelineQuery(QueryValue.Text(Name), statuses, Time(CreatedFrom, "createdFrom"), Time(CreatedTo, "createdTo"), pageSize, continuationToken);
    }

    private static DateTimeOffset? Time(string? text, string key) =>
        QueryValue.Time(text, bad => $"'{key}' must be an ISO 8601 time such as 2026-12-01T00:00:00Z; it is '{bad}'.");
}
