using Flywheel.Api;
using Flywheel.Api.Pipelines;
using Flywheel.Api.Routing;
using Flywheel.Api.Training;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The training routes: start a run, a model's saved training spec, its report, and the tracked runs.</summary>
public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder endpoints)
    {
        var training = endpoints.MapGroup(string.Empty).WithTags("Training").Naming("model")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        training.MapPost(Routes.TrainingPipelines, (HttpRequest r, TrainingHandlers t, WorkflowClient w, CancellationToken ct) => t.StartAsync(r, w.Client, ct))
            .WithName("StartTraining").WithSummary("Start a training pipeline from a spec in the body (202)");
        training.MapPut(Routes.ModelTraining, (HttpRequest r, string name, TrainingHandlers t, CancellationToken ct) => t.SaveSpecAsync(r, name, ct))
            .WithName("SaveTrainingSpec").WithSummary("Save the spec the model is trained (and retrained) with");
        training.MapGet(Routes.ModelTraining, (string name, TrainingHandlers t, CancellationToken ct) => t.GetSpecAsync(name, ct))
            .WithName("GetTrainingSpec").WithSummary("Get the model's saved training spec");
        training.MapPost(Routes.ModelTrain, (HttpRequest r, string name, TrainingHandlers t, WorkflowClient w, CancellationToken ct) => t.TrainAsync(r, name, w.Client, ct))
            .WithName("TrainModel").WithSummary("Train the model with its saved spec (202)");
        training.MapGet(Routes.PipelineReport, (string id, TrainingHandlers t, CancellationToken ct) => t.ReportAsync(id, ct))
            .WithName("GetPipelineReport").WithSummary("A training run's HTML report: trials, gate and lineage")
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        training.MapGet(Routes.Runs, (HttpRequest r, [AsParameters] RunListQuery q, [AsParameters] PageQuery p, RunHandlers e, CancellationToken ct) => e.ListAsync(r, q, p, ct))
            .WithName("ListRuns").WithSummary("Search tracked trials by model, pipeline, metric and parameter");
        training.MapGet(Routes.Run, (string id, RunHandlers e, CancellationToken ct) => e.GetAsync(id, ct))
            .WithName("GetRun").WithSummary("One tracked trial: parameters, metrics and artifacts");
        training.MapGet(Routes.ModelMetrics, (string name, RunHandlers e, CancellationToken ct) => e.ModelMetricsAsync(name, ct))
            .WithName("GetModelMetrics").WithSummary("A metric across the model's versions");
        return endpoints;
    }
}
