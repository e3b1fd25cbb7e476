namespace Flywheel.Contracts.Training;

/// <summary>
/// One candidate of a training pipeline, tracked as a run: what was fitted (trainer, parameters,
/// seed, the dataset version by name, number and content hash), how it went (status, times,
/// error) and how it scored: validation metrics under their names, the winner's test metrics as
/// <c>test_</c> + name, and the model version it became. <see cref="DurationMs"/> is the whole
/// trial (reading the frames, fitting, scoring); <see cref="FitMs"/> the fit alone;
/// <see cref="SkippedFeatures"/> the columns the plan left out, each with the reason.
/// </summary>
public sealed record RunRecord(
    string RunId,
    string PipelineId,
    string Model,
    int Trial,
    int Rung,
    string Trainer,
    IReadOnlyDictionary<string, double> Params,
    IReadOnlyDictionary<string, double> Metrics,
    RunStatus Status,
    string Dataset,
    int DatasetVersion,
    string DatasetSha256,
    int Seed,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    double? DurationMs,
    string? Error = null,
    int? ModelVersion = null,
    double? FitMs = null,
    IReadOnlyDictionary<string, string>? SkippedFeatures = null)
{
    /// <summary>A run's id: the pipeline and the trial, so a retried trial writes the same run.</summary>
    public static string IdFor(string pipelineId, int trial) => $"{pipelineId}-{trial:D3}";
}
