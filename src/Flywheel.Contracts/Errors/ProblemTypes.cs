namespace Flywheel.Contracts.Errors;

/// <summary>
/// Every problem type the API answers with (RFC 9457 <c>type</c>, the last segment of
/// <see cref="BaseUri"/> + code), declared once: the server throws and answers with these, and a
/// client switches on them instead of on message text, which may change.
/// </summary>
public static class ProblemTypes
{
    /// <summary>What every problem <c>type</c> starts with; the code follows.</summary>
    public const string BaseUri = "https://flywheel.dev/problems/";

    // Requests that are malformed or name something invalid (400).

    /// <summary>A prediction's input does not fit the model (wrong columns, types or shapes).</summary>
    public const string InvalidInput = "invalid-input";

    /// <summary>A body that is not JSON, or not UTF-8.</summary>
    public const string InvalidJson = "invalid-json";

    /// <summary>A request the server could not read at all (Kestrel refused it).</summary>
    public const string InvalidRequest = "invalid-request";

    /// <summary>A dataset or model name outside the naming rule.</summary>
    public const string InvalidName = "invalid-name";

    /// <summary>Text that is not a version number, <c>latest</c> or an alias.</summary>
    public const string InvalidVersion = "invalid-version";

    /// <summary>A query parameter's value is invalid.</summary>
    public const string InvalidQuery = "invalid-query";

    /// <summary>A query parameter the route does not take (a misspelling would otherwise be ignored).</summary>
    public const string UnknownQueryParameter = "unknown-query-parameter";

    /// <summary>A continuation token this list did not hand out.</summary>
    public const string InvalidContinuationToken = "invalid-continuation-token";

    /// <summary>A caller identity header that cannot be recorded in the audit history.</summary>
    public const string InvalidCaller = "invalid-caller";

    /// <summary>A model upload that is not an ONNX file with valid metadata.</summary>
    public const string InvalidUpload = "invalid-upload";

    /// <summary>A dataset upload's file name header that cannot be recorded.</summary>
    public const string InvalidFileName = "invalid-file-name";

    /// <summary>A dataset contract that could never pass or does not parse.</summary>
    public const string InvalidContract = "invalid-contract";

    /// <summary>An alias name or target that is not valid.</summary>
    public const string InvalidAlias = "invalid-alias";

    /// <summary>A model version patch that does not parse.</summary>
    public const string InvalidPatch = "invalid-patch";

    /// <summary>A deployment (routes, weights, shadow) that is not valid.</summary>
    public const string InvalidDeployment = "invalid-deployment";

    /// <summary>Feedback that does not name a prediction Flywheel issued.</summary>
    public const string InvalidFeedback = "invalid-feedback";

    /// <summary>An <c>X-Request-Id</c> header outside the request id rule.</summary>
    public const string InvalidRequestId = "invalid-request-id";

    /// <summary>A CSV prediction body that cannot be read.</summary>
    public const string InvalidCsv = "invalid-csv";

    /// <summary>A batch scoring request that is not valid.</summary>
    public const string InvalidBatch = "invalid-batch";

    /// <summary>A training request that is not valid.</summary>
    public const string InvalidTraining = "invalid-training";

    /// <summary>An event for a pipeline that is not valid (the approval's shape, a misspelt name).</summary>
    public const string InvalidEvent = "invalid-event";

    /// <summary>Monitoring settings that are not valid.</summary>
    public const string InvalidMonitoring = "invalid-monitoring";

    /// <summary>An on-demand drift run request that does not parse.</summary>
    public const string InvalidDriftRun = "invalid-drift-run";

    /// <summary>A drift method that does not exist or does not fit the column.</summary>
    public const string InvalidMethod = "invalid-method";

    /// <summary>A drift threshold that is not a positive number.</summary>
    public const string InvalidThreshold = "invalid-threshold";

    /// <summary>A feedback dataset request that is not valid (the field is named).</summary>
    public const string InvalidFeedbackDataset = "invalid-feedback-dataset";

    /// <summary>A monitoring window that is empty or reversed.</summary>
    public const string InvalidWindow = "invalid-window";

    /// <summary>A retraining policy that is not valid (the message names the field).</summary>
    public const string InvalidPolicy = "invalid-policy";

    // Authorization (401).

    /// <summary>A change without the API key the host requires.</summary>
    public const string Unauthorized = "unauthorized";

    // Something named that does not exist (404).

    /// <summary>The dataset, model, version, alias, pipeline, run or report does not exist.</summary>
    public const string NotFound = "not-found";

    /// <summary>A completed pipeline that wrote no file.</summary>
    public const string NoOutput = "no-output";

    // Requests that contradict the current state (409).

    /// <summary>A registry change that contradicts the registry (an alias to an archived version...).</summary>
    public const string RegistryConflict = "registry-conflict";

    /// <summary>An archived version asked to score.</summary>
    public const string Archived = "archived";

    /// <summary>An event or termination for a pipeline that has finished.</summary>
    public const string NotRunning = "not-running";

    /// <summary>The output of a pipeline that has not completed.</summary>
    public const string NotCompleted = "not-completed";

    /// <summary>A dataset whose columns are not the ones the request would write into it.</summary>
    public const string SchemaMismatch = "schema-mismatch";

    // Limits (408, 413).

    /// <summary>A body larger than the configured limit (the problem names <c>maxBytes</c>).</summary>
    public const string TooLarge = "too-large";

    /// <summary>A body that arrived below the server's minimum data rate.</summary>
    public const string RequestTimeout = "request-timeout";

    // Well-formed, but the content cannot be used (422).

    /// <summary>A dataset upload that failed its checks; the problem carries the quarantine report.</summary>
    public const string DatasetRejected = "dataset-rejected";

    /// <summary>A model's lineage names a dataset version that is not registered.</summary>
    public const string UnknownDataset = "unknown-dataset";

    /// <summary>A file that is not a loadable ONNX model.</summary>
    public const string InvalidModel = "invalid-model";

    /// <summary>Feature names that do not match the model's input.</summary>
    public const string InvalidFeatureNames = "invalid-feature-names";

    /// <summary>Record predictions for a model whose single input has no feature names.</summary>
    public const string MissingFeatureNames = "missing-feature-names";

    /// <summary>Annotations (tags, metrics, description) beyond their limits.</summary>
    public const string LimitExceeded = "limit-exceeded";

    /// <summary>A model batch scoring cannot feed.</summary>
    public const string UnsupportedModel = "unsupported-model";

    /// <summary>A dataset format batch scoring cannot read.</summary>
    public const string UnsupportedFormat = "unsupported-format";

    /// <summary>A dataset whose content cannot be read as its format says.</summary>
    public const string UnreadableDataset = "unreadable-dataset";

    /// <summary>A column the model needs is missing from the dataset.</summary>
    public const string MissingColumn = "missing-column";

    /// <summary>Training data that cannot train (one class, no rows after the split...).</summary>
    public const string InvalidTrainingData = "invalid-training-data";

    /// <summary>Drift without a reference to compare against.</summary>
    public const string NoReference = "no-reference";

    /// <summary>A dataset version without the profile drift compares.</summary>
    public const string NoProfile = "no-profile";

    /// <summary>A monitoring reference that does not fit the model's inputs or outputs.</summary>
    public const string ReferenceMismatch = "reference-mismatch";

    /// <summary>No logged prediction in the window has feedback: there is no labelled row to keep.</summary>
    public const string NoFeedback = "no-feedback";

    /// <summary>A model with no training data or label to follow: no lineage, training record or saved training request names them.</summary>
    public const string NoTrainingData = "no-training-data";

    // Flywheel cannot answer (500, 501, 503).

    /// <summary>A model output Flywheel cannot represent in JSON.</summary>
    public const string OutputNotServable = "output-not-servable";

    /// <summary>Storage is unreachable; retry after <c>Retry-After</c>.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The local orchestration engine is switched off.</summary>
    public const string EngineOff = "engine-off";

    /// <summary>A bug: the answer names only the trace id.</summary>
    public const string Unexpected = "unexpected";

    /// <summary>The problem <c>type</c> URI of <paramref name="code"/>.</summary>
    public static string Uri(string code) => BaseUri + code;
}
