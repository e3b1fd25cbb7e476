namespace Flywheel.Contracts.Datasets;

/// <summary>The body of <c>GET api/datasets/{name}</c>: versions are gapless from 1, so the count is the newest number; links are relative to the API's root.</summary>
public sealed record DatasetDetails(
    string Name, int LatestVersion, int VersionCount, DateTimeOffset Created, DateTimeOffset Updated, bool HasContract, DatasetVersion Latest, IReadOnlyDictionary<string, string> Links);
