using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api.Training;

/// <summary>
/// The search of <c>GET api/runs</c>: a model's runs or a pipeline's, filtered and ordered with MLflow's
/// grammar (<see cref="Flywheel.Training.Tracking.RunQuery"/> parses <c>filter</c> and <c>orderBy</c>).
/// </summary>
public sealed record RunListQuery(
    [FromQuery(Name = "model")] string? Model,
    [FromQuery(Name = "pipeline")] string? Pipeline,
    [FromQuery(Name = "filter")] string? Filter,
    [FromQuery(Name = "orderBy")] string? OrderBy);
