using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Training;

/// <summary>A tracked run's status, spelt as MLflow's runs API and its filter grammar spell it.</summary>
public enum RunStatus
{
    /// <summary>The trial is fitting.</summary>
    [JsonStringEnumMemberName("RUNNING")]
    Running,

    /// <summary>The trial fitted and was scored.</summary>
    [JsonStringEnumMemberName("FINISHED")]
    Finished,

    /// <summary>The trial failed; the run's error says why.</summary>
    [JsonStringEnumMemberName("FAILED")]
    Failed,
}
