using System.Text.Json;

namespace Flywheel.Contracts.Serving;

/// <summary>Ground truth for a logged prediction, joined to it by request id for performance monitoring.</summary>
public sealed record Feedback(string RequestId, JsonElement Actual, DateTimeOffset Received);
