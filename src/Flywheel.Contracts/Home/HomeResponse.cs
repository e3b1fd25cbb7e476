namespace Flywheel.Contracts.Home;

/// <summary>The body of <c>GET /</c> for clients that accept JSON; links are relative to the root.</summary>
public sealed record HomeResponse(string Name, string Version, IReadOnlyDictionary<string, string> Links);
