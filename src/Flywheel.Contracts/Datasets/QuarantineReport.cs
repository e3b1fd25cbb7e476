namespace Flywheel.Contracts.Datasets;

/// <summary>Why a file was not versioned, and where its original bytes are kept.</summary>
public sealed record QuarantineReport(
    string Id,
    string Dataset,
    string Source,
    string Sha256,
    long SizeBytes,
    DateTimeOffset Received,
    string OriginalPath,
    IReadOnlyList<DataProblem> Problems);
