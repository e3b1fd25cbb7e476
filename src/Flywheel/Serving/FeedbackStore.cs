using System.Globalization;
using System.Text.Json;
using Flywheel.Storage;

namespace Flywheel.Serving;

/// <summary>Ground truth for a logged prediction, joined to it by request id for performance monitoring.</summary>
public sealed record Feedback(string RequestId, JsonElement Actual, DateTimeOffset Received);

/// <summary>Stores feedback as <c>predictions/{model}/feedback/{yyyy}/{MM}/{dd}/{requestId}.json</c>: one blob per request id, so a retry overwrites instead of duplicating.</summary>
public sealed class FeedbackStore(StorageClients storage, TimeProvider time)
{
    public async Task<Feedback> WriteAsync(string model, string requestId, JsonElement actual, CancellationToken cancellationToken)
    {
        var feedback = new Feedback(requestId, actual.Clone(), time.GetUtcNow());
        var container = await storage.ContainerAsync(StorageNames.PredictionsContainer, cancellationToken).ConfigureAwait(false);
        var day = feedback.Received.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture);
        await container.GetBlobClient($"{model}/feedback/{day}/{Uri.EscapeDataString(requestId)}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(feedback, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
        return feedback;
    }
}
