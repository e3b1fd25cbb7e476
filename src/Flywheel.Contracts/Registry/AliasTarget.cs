namespace Flywheel.Contracts.Registry;

/// <summary>The body of <c>PUT api/models/{name}/aliases/{alias}</c>: the version the alias points to, <c>{"version": 3}</c>.</summary>
public sealed record AliasTarget(int? Version);
