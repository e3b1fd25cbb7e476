using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Training;

/// <summary>
/// The search of <c>GET api/runs</c>: a model's runs or a pipeline's, filtered and ordered with MLflow's
/// grammar (<see cref="Flywheel.Training.Tracking.RunQuery"/> parses <c>filter</c> and <c>orderBy</c>).
/// </summary>
public sealed record RunListQuery
{
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    [FromQuery(Name = "pipeline")]
    public string? Pipeline { get; init; }

    [FromQuery(Name = "filter")]
    public string? Filter { get; init; }

    [FromQuery(Name = "orderBy")]
    public string? OrderBy { get; init; }
}
