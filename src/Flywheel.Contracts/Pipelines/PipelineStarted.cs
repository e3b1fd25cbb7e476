using Flywheel.Contracts.Training;

namespace Flywheel.Contracts.Pipelines;

/// <summary>The 202 answer to starting a pipeline: where to poll, raise events and terminate (Durable's management shape).</summary>
/// <param name="Plan">What a training run was planned to do (features, how each is featurized, what was skipped and why); null for other pipelines.</param>
public sealed record PipelineStarted(string Id, Uri StatusQueryGetUri, string SendEventPostUri, Uri TerminatePostUri, TrainingPlanSummary? Plan = null);
