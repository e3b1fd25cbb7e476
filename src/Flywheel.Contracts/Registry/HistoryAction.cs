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
}
