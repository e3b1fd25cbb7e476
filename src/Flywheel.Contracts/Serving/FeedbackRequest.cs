using System.Text.Json;

namespace Flywheel.Contracts.Serving;

/// <summary>The body of <c>POST api/models/{name}/feedback</c>: the prediction's <c>X-Request-Id</c> and the actual outcome, as any JSON value.</summary>
public sealed record FeedbackRequest(string RequestId, JsonElement Actual);
