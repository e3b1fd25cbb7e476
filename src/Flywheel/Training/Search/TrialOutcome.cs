using Flywheel.Contracts.Training;

namespace Flywheel.Training.Search;

/// <summary>How one trial went: its run, its candidate, its status (<see cref="RunStatus"/>) and validation metrics, or the error that failed it.</summary>
public sealed record TrialOutcome(int Trial, int Rung, string RunId, TrialSpec Spec, RunStatus Status, IReadOnlyDictionary<string, double> Metrics, double FitMs, string? Error);
