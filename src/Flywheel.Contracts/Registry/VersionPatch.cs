namespace Flywheel.Contracts.Registry;

/// <summary>The body of <c>PATCH api/models/{name}/versions/{version}</c>: the annotations to change on a registered version.</summary>
public sealed record VersionPatch(string? Description, IReadOnlyDictionary<string, string>? Tags);
