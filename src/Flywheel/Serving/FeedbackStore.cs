using System.Globalization;
using System.Text.Json;
using Flywheel.Storage;

namespace Flywheel.Serving;

/// <summary>Ground truth for a logged prediction, joined to it by request id for performance monitoring.</summary>
public sealed record Feedback(string RequestId, JsonElement Actual, DateTimeOffset Received);

/// <summary>Stores (and reads back) feedback as <c>predictions/{model}/feedback/{yyyy}/{MM}/{dd}/{requestId}.json</c>: one blob per request id, so a retry overwrites instead of duplicating.</summary>
public sealed class FeedbackStore(StorageClients storage, TimeProvider time)
{
    public async Task<Feedback> WriteAsync(string model, string requestId, JsonElement actual, CancellationToken cancellationToken)
    {
        var feedback = new Feedback(requestId, actual.Clone(), time.GetUtcNow());
        var container = await storage.ContainerAsync(StorageNames.PredictionsContainer, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient($"{DayFolder(model, feedback.Received)}{Uri.EscapeDataString(requestId)}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(feedback, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
        return feedback;
    }

    /// <summary>The model's feedback received from <paramref name="from"/>'s day up to today, by request id (a later answer for an id replaces an earlier one).</summary>
    public async Task<Dictionary<string, JsonElement>> ReceivedSinceAsync(string model, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var container = await storage.ContainerAsync(StorageNames.PredictionsContainer, cancellationToken).ConfigureAwait(false);
        var today = time.GetUtcNow().UtcDateTime.Date;
        for (var day = from.UtcDateTime.Date; day <= today; day = day.AddDays(1))
        {
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None,
                DayFolder(model, new DateTimeOffset(day, TimeSpan.Zero)), cancellationToken).ConfigureAwait(false))
            {
                var content = await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                if (content.Value.Content.ToObjectFromJson<Feedback>(Json.Options) is { } feedback)
                {
                    found[feedback.RequestId] = feedback.Actual;
                }
            }
        }

        return found;
    }

    private static string DayFolder(string model, DateTimeOffset day) => $"{model}/feedback/{day.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}/";
}
