namespace Flywheel.Events;

/// <summary>CloudEvent types Flywheel publishes, named once for publishers, subscribers and alert rules.</summary>
public static class EventTypes
{
    public const string DatasetVersionCreated = "Flywheel.DatasetVersionCreated";
    public const string DatasetRejected = "Flywheel.DatasetRejected";
    public const string ModelRegistered = "Flywheel.ModelRegistered";
    public const string AliasChanged = "Flywheel.AliasChanged";
    public const string DriftDetected = "Flywheel.DriftDetected";
    public const string PipelineCompleted = "Flywheel.PipelineCompleted";
    public const string RetrainingStarted = "Flywheel.RetrainingStarted";
    public const string ModelPromoted = "Flywheel.ModelPromoted";
    public const string ModelRolledBack = "Flywheel.ModelRolledBack";
    public const string RetrainingHeld = "Flywheel.RetrainingHeld";
}
