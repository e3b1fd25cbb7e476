namespace Flywheel.Contracts;

/// <summary>
/// Every HTTP route template, defined once for the server and its clients. The API's endpoint declarations
/// (Flywheel.Api's <c>Map...Api</c>) use these, and the Functions triggers are generated from those declarations
/// (host.json sets an empty route prefix, so the templates start with <c>api/</c> or <c>v2/</c>).
/// </summary>
public static class Routes
{
    /// <summary>
    /// The site root (<c>GET /</c>). The Functions host serves no function at an empty route (it
    /// shows its own home page), but it does route "/" to an optional parameter that only an empty
    /// segment satisfies; LocalHost maps the same template.
    /// </summary>
    public const string Home = "{ignored:maxlength(0)?}";

    public const string Health = "api/health";

    public const string OpenApi = "api/openapi.json";
    public const string ApiDocs = "api/docs";

    /// <summary>The web console's page shell; its pages (<c>console/models/iris</c>) and files (<c>console/app.js</c>) are under <see cref="ConsoleFile"/>.</summary>
    public const string Console = "console";
    public const string ConsoleFile = "console/{*path}";

    public const string Datasets = "api/datasets";
    public const string Dataset = "api/datasets/{name}";
    public const string DatasetVersions = "api/datasets/{name}/versions";
    public const string DatasetVersion = "api/datasets/{name}/versions/{version}";
    public const string DatasetContent = "api/datasets/{name}/versions/{version}/content";
    public const string DatasetDiff = "api/datasets/{name}/diff";
    public const string DatasetContract = "api/datasets/{name}/contract";
    public const string DatasetQuarantine = "api/datasets/{name}/quarantine";
    public const string DatasetDrift = "api/datasets/{name}/drift";
    public const string ModelDrift = "api/models/{name}/drift";
    public const string ModelDriftRun = "api/models/{name}/drift/run";
    public const string ModelDriftHistory = "api/models/{name}/drift/history";
    public const string ModelDriftReport = "api/models/{name}/drift/reports/{id}";
    public const string ModelMonitoring = "api/models/{name}/monitoring";

    public const string Models = "api/models";
    public const string Model = "api/models/{name}";
    public const string ModelVersions = "api/models/{name}/versions";
    public const string ModelVersion = "api/models/{name}/versions/{version}";
    public const string ModelContent = "api/models/{name}/versions/{version}/content";
    public const string ModelCard = "api/models/{name}/versions/{version}/card";
    public const string ModelAlias = "api/models/{name}/aliases/{alias}";
    public const string ModelHistory = "api/models/{name}/history";

    public const string Predict = "api/models/{name}/predict";
    public const string PredictVersion = "api/models/{name}/versions/{version}/predict";
    public const string Deployment = "api/models/{name}/deployment";
    public const string Feedback = "api/models/{name}/feedback";
    public const string ModelFeedbackDataset = "api/models/{name}/feedback-dataset";

    public const string BatchPredictions = "api/models/{name}/batch-predictions";
    public const string Pipelines = "api/pipelines";
    public const string Pipeline = "api/pipelines/{id}";
    public const string PipelineOutput = "api/pipelines/{id}/output";
    public const string PipelineEvent = "api/pipelines/{id}/events/{event}";
    public const string PipelineTerminate = "api/pipelines/{id}/terminate";
    public const string PipelineReport = "api/pipelines/{id}/report.html";

    public const string TrainingPipelines = "api/pipelines/training";
    public const string ModelTraining = "api/models/{name}/training";
    public const string ModelTrain = "api/models/{name}/train";
    public const string ModelMetrics = "api/models/{name}/metrics";
    public const string ModelPolicy = "api/models/{name}/policy";
    public const string ModelRetrainings = "api/models/{name}/retrainings";
    public const string ModelRetraining = "api/models/{name}/retrainings/{id}";

    public const string Runs = "api/runs";
    public const string Run = "api/runs/{id}";

    // The Open Inference Protocol v2, unprefixed so KServe, Triton and MLServer clients work unchanged.
    public const string OipLive = "v2/health/live";
    public const string OipReady = "v2/health/ready";
    public const string OipServer = "v2";
    public const string OipModel = "v2/models/{name}";
    public const string OipModelVersion = "v2/models/{name}/versions/{version}";
    public const string OipModelReady = "v2/models/{name}/ready";
    public const string OipModelVersionReady = "v2/models/{name}/versions/{version}/ready";
    public const string OipInfer = "v2/models/{name}/infer";
    public const string OipInferVersion = "v2/models/{name}/versions/{version}/infer";
}
