using System.Text.Json.Nodes;
using Azure;
using Flywheel.Api.Pipelines;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Training;
using Flywheel.Pipelines;
using Flywheel.Pipelines.Training;
using Flywheel.Storage;
using Flywheel.Training;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Training;

/// <summary>
/// Training routes: start a training pipeline (checked against the dataset version first, so a
/// mistake is a 4xx naming the column here rather than a failed run later), save and read a model's
/// training request, rerun it on the latest data, and read a run's report.
/// </summary>
public sealed class TrainingHandlers(TrainingPlanner planner, TrainingSpecs specs, StorageClients storage, IOptions<PipelineOptions> options)
{
    private const long MaxRequestBytes = 64 << 10;
    private const string Example = """{"model": "bank", "dataset": "bank", "label": "deposit", "exclude": ["duration"], "trials": 12, "promotion": "if-better"}""";

    public async Task<Accepted<PipelineStarted>> StartAsync(HttpRequest request, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var training = await RequestJson.ReadAsync<TrainingRequest>(request, ProblemTypes.InvalidTraining, Example, cancellationToken, MaxRequestBytes).ConfigureAwait(false);
        return await StartAsync(request, training, pipelines, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Results<Created<TrainingRequest>, Ok<TrainingRequest>>> SaveSpecAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var training = await ReadForModelAsync(request, name, cancellationToken).ConfigureAwait(false);
        // Checked against the data as it is now, so a spec that could never run is refused when it is saved.
        await planner.PlanAsync(training, cancellationToken).ConfigureAwait(false);
        var existed = await specs.GetAsync(name, cancellationToken).ConfigureAwait(false) is not null;
        await specs.SaveAsync(training, cancellationToken).ConfigureAwait(false);
        return existed ? TypedResults.Ok(training) : TypedResults.Created((string?)null, training);
    }

    public async Task<Results<Ok<TrainingRequest>, ProblemHttpResult>> GetSpecAsync(string name, CancellationToken cancellationToken)
    {
        return await specs.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } training
            ? TypedResults.Ok(training)
            : Problem.NotFound($"Model '{name}' has no saved training request: PUT one to api/models/{name}/training.");
    }

    /// <summary>Reruns the saved request on the dataset's latest version.</summary>
    public async Task<Accepted<PipelineStarted>> TrainAsync(HttpRequest request, string name, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var training = await specs.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Model '{name}' has no saved training request: PUT one to api/models/{name}/training first.");
        return await StartAsync(request, training with { DatasetVersion = VersionReference.Latest }, pipelines, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IResult> ReportAsync(string id, CancellationToken cancellationToken)
    {
        var reports = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await reports.GetBlobClient(WriteTrainingReport.PathFor(id)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return Results.Bytes(content.Value.Content.ToArray(), "text/html; charset=utf-8");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Pipeline '{id}' has no report: it is not a training pipeline, or it has not finished.");
        }
    }

    private async Task<Accepted<PipelineStarted>> StartAsync(HttpRequest request, TrainingRequest training, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        var plan = await planner.PlanAsync(training, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString("N");
        var settings = options.Value;
        await pipelines.StartAsync(PipelineTasks.Training, id, new TrainingStart(plan, settings.TrainingParallelism, settings.ActivityAttempts), cancellationToken).ConfigureAwait(false);
        return PipelineHandlers.Accepted(request, id, plan.Summary());
    }

    /// <summary>A saved request names its model by the route; a body that names another is a mistake.</summary>
    private static async Task<TrainingRequest> ReadForModelAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        using (var document = RequestJson.Parse(body, ProblemTypes.InvalidTraining))
        {
            if (JsonNode.Parse(document.RootElement.GetRawText()) is JsonObject json)
            {
                if (json["model"] is { } named && (named.GetValueKind() != System.Text.Json.JsonValueKind.String || named.GetValue<string>() != name))
                {
                    throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidTraining, $"The body's model must be '{name}', the model in the route, or left out.");
                }

                json["model"] = name;
                body = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
            }
        }

        return RequestJson.Bind<TrainingRequest>(body, ProblemTypes.InvalidTraining, Example, "The training request");
    }
}
