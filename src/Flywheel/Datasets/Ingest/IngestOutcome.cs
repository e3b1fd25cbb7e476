using System.Text.Json.Serialization;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;

namespace Flywheel.Datasets.Ingest;

[JsonConverter(typeof(JsonStringEnumConverter<IngestStatus>))]
public enum IngestStatus
{
    /// <summary>The content became a new version.</summary>
    Created,

    /// <summary>The same content was already a version: nothing changed.</summary>
    Existing,

    /// <summary>The file broke the contract or could not be read: it is in quarantine.</summary>
    Rejected,
}

public sealed record IngestOutcome(IngestStatus Status, DatasetVersion? Version, QuarantineReport? Report);

public sealed class InvalidDatasetNameException(string name)
    : FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidName, $"'{name}' is not a valid dataset name: use {ResourceName.Rule}.")
{
    public string Name { get; } = name;
}
