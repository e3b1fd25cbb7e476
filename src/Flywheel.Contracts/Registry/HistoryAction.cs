using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Registry;

/// <summary>What one entry of a model's audit history records; stored as this text in the history table.</summary>
public enum HistoryAction
{
    /// <summary>A version was registered.</summary>
    [JsonStringEnumMemberName("version-created")]
    VersionCreated,

    /// <summary>A version was archived: it no longer serves.</summary>
    [JsonStringEnumMemberName("version-archived")]
    VersionArchived,

    /// <summary>An alias was set or moved (<c>from</c> is the version it left).</summary>
    [JsonStringEnumMemberName("alias-set")]
    AliasSet,

    /// <summary>An alias was deleted.</summary>
    [JsonStringEnumMemberName("alias-deleted")]
    AliasDeleted,

    /// <summary>A deployment was set (the version is its heaviest route's).</summary>
    [JsonStringEnumMemberName("deployment-set")]
    DeploymentSet,

    /// <summary>The deployment was removed: the model serves its champion, else its latest version.</summary>
    [JsonStringEnumMemberName("deployment-removed")]
    DeploymentRemoved,

    /// <summary>The model's retraining policy was set or replaced.</summary>
    [JsonStringEnumMemberName("policy-set")]
    PolicySet,

    /// <summary>The model's retraining policy was removed: it retrains only when asked.</summary>
    [JsonStringEnumMemberName("policy-removed")]
    PolicyRemoved,

    /// <summary>A retraining started (the detail names its trigger and pipeline).</summary>
    [JsonStringEnumMemberName("retraining-started")]
    RetrainingStarted,

    /// <summary>A canary changed the routes (the detail gives the candidate's weight).</summary>
    [JsonStringEnumMemberName("canary-step")]
    CanaryStep,

    /// <summary>A retraining's candidate became the champion with all of the traffic, in one write.</summary>
    [JsonStringEnumMemberName("canary-promoted")]
    CanaryPromoted,

    /// <summary>A retraining's routes went back to the champion, in one write; the detail names the failing checks or who asked.</summary>
    [JsonStringEnumMemberName("canary-rolled-back")]
    CanaryRolledBack,

    /// <summary>A retraining ended (the detail gives its outcome and reason).</summary>
    [JsonStringEnumMemberName("retraining-finished")]
    RetrainingFinished,
}
