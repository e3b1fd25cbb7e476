using System.Runtime.CompilerServices;
using System.Text.Json;
using Flywheel.Monitoring.Models;
using Flywheel.Serving.Observation;

namespace Flywheel.Monitoring.Performance;

/// <summary>
/// The prediction log joined with its feedback by request id: each live request logged in a window
/// (shadow scoring left out) with the latest feedback received for it from the window's start on.
/// Monitoring scores the answers against it; the feedback dataset turns the inputs into labelled rows.
/// </summary>
public sealed class FeedbackJoin(PredictionLogReader log, FeedbackStore feedback)
{
    /// <param name="version">The answering version; null for every version's requests.</param>
    /// <returns>Each logged request with its feedback; valid until the next one is read.</returns>
    public async IAsyncEnumerable<JoinedRequest> ReadAsync(string model, int? version, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Ground truth arrives after the prediction: everything received from the window's start on.
        var received = await feedback.ReceivedSinceAsync(model, from, cancellationToken).ConfigureAwait(false);
        await foreach (var record in log.ReadAsync(model, version, from, to, cancellationToken).ConfigureAwait(false))
        {
            yield return new JoinedRequest(record, received.TryGetValue(record.GetProperty("requestId").GetString()!, out var found) ? found : default);
        }
    }
}

/// <summary>One logged request (its log entry) and the feedback received for it (undefined when none).</summary>
public readonly record struct JoinedRequest(JsonElement Record, JsonElement Feedback)
{
    public bool HasFeedback => Feedback.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>The actual of the request's row <paramref name="row"/>: a batch's feedback is an array, one actual per row; a single value is the first row's. Null when the row has none.</summary>
    public JsonElement? Actual(int row)
    {
        var truth = Feedback.ValueKind == JsonValueKind.Array ? (row < Feedback.GetArrayLength() ? Feedback[row] : default) : row == 0 ? Feedback : default;
        return truth.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : truth;
    }
}
