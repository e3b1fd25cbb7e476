using Flywheel.Contracts;

namespace Flywheel.Contracts.Monitoring;

/// <summary>The body of <c>POST api/models/{name}/drift/run</c>: which version (default the champion, else the latest), the window (default the settings' window up to now), one method for every column, and the fewest rows a verdict needs.</summary>
public sealed record DriftRunRequest(VersionReference? Version = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string Method = "auto", double? Threshold = null, int? MinRows = null);
