using Flywheel.Api.Pipelines;
using Flywheel.Api.Routing;
using Flywheel.Api.Training;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The training and tracking routes for hosts that route with ASP.NET Core.</summary>
public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Routes.TrainingPipelines, (HttpRequest r, TrainingEndpoints t, IPipelineClient c, CancellationToken ct) => t.StartAsync(r, c, ct)).WithName("StartTraining");
        endpoints.MapPut(Routes.ModelTraining, (HttpRequest r, string name, TrainingEndpoints t, CancellationToken ct) => t.SaveSpecAsync(r, name, ct)).WithName("SaveTrainingSpec");
        endpoints.MapGet(Routes.ModelTraining, (string name, TrainingEndpoints t, CancellationToken ct) => t.GetSpecAsync(name, ct)).WithName("GetTrainingSpec");
        endpoints.MapPost(Routes.ModelTrain, (HttpRequest r, string name, TrainingEndpoints t, IPipelineClient c, CancellationToken ct) => t.TrainAsync(r, name, c, ct)).WithName("TrainModel");
        endpoints.MapGet(Routes.PipelineReport, (string id, TrainingEndpoints t, CancellationToken ct) => t.ReportAsync(id, ct)).WithName("GetPipelineReport");
        endpoints.MapGet(Routes.Runs, (HttpRequest r, RunEndpoints e, CancellationToken ct) => e.ListAsync(r, ct)).WithName("ListRuns");
        endpoints.MapGet(Routes.Run, (string id, RunEndpoints e, CancellationToken ct) => e.GetAsync(id, ct)).WithName("GetRun");
        endpoints.MapGet(Routes.ModelMetrics, (string name, RunEndpoints e, CancellationToken ct) => e.ModelMetricsAsync(name, ct)).WithName("GetModelMetrics");
        return endpoints;
    }
}
