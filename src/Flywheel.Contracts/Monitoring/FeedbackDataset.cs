namespace Flywheel.Contracts.Monitoring;

/// <summary>
/// The body of <c>POST api/models/{name}/feedback-dataset</c>: the dataset the labelled rows are
/// appended to as a new version, the window of logged predictions (default the last 7 days up to
/// now), and the answering version (default every version that answered in the window).
/// </summary>
public sealed record FeedbackDatasetRequest
{
    public required string Dataset { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>A number or an alias; JSON takes <c>3</c> or <c>"3"</c>.</summary>
    public VersionReference? Version { get; init; }
}

/// <summary>
/// The dataset version the feedback became: a new one (<see cref="Created"/>), or the existing one
/// with the same rows (datasets are content-addressed); its source says where the rows came from.
/// </summary>
/// <param name="ModelVersions">The versions whose answered requests gave the rows.</param>
/// <param name="Label">The column filled from the feedback.</param>
public sealed record FeedbackDatasetResult(
    string Dataset,
    int Version,
    long Rows,
    string Source,
    bool Created,
    string Label,
    IReadOnlyList<int> ModelVersions,
    DateTimeOffset From,
    DateTimeOffset To);
