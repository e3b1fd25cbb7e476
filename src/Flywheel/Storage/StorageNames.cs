namespace Flywheel.Storage;

/// <summary>Containers and tables of the storage layout, named once for every host and for the Bicep that creates them.</summary>
public static class StorageNames
{
    public const string LandingContainer = "landing";
    public const string DatasetsContainer = "datasets";
    public const string ModelsContainer = "models";
    public const string PredictionsContainer = "predictions";
    public const string ReportsContainer = "reports";
    public const string QuarantineContainer = "quarantine";

    public const string DatasetsTable = "datasets";

    public const string ModelsTable = "models";

    /// <summary>Training runs (experiment tracking), one partition per model.</summary>
    public const string RunsTable = "runs";

    /// <summary>Model monitoring reports, one partition per model, newest window first.</summary>
    public const string MonitoringTable = "monitoring";

    /// <summary>Each instance's per-minute serving counts per model version, one partition per model (what a canary is judged on).</summary>
    public const string SignalTable = "signal";

    /// <summary>Retraining triggers, the one-at-a-time claim and each retraining's record, one partition per model.</summary>
    public const string RetrainingsTable = "retrainings";

    public static IReadOnlyList<string> Tables { get; } = [DatasetsTable, ModelsTable, RunsTable, MonitoringTable, SignalTable, RetrainingsTable];

    public static IReadOnlyList<string> Containers { get; } =
    [
        LandingContainer, DatasetsContainer, ModelsContainer, PredictionsContainer, ReportsContainer, QuarantineContainer,
    ];
}
