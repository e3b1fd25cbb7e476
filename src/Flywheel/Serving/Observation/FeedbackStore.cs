using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Flywheel.Contracts.Serving;
using Flywheel.Storage;

namespace Flywheel.Serving.Observation;

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
        IAsyncEnumerable<string> Children(string prefix) =>
            container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, cancellationToken).Where(item => item.IsPrefix).Select(item => item.Prefix);
        await foreach (var day in DayFoldersAsync($"{model}/feedback/", DayFolder(model, from), Children).ConfigureAwait(false))
        {
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, day, cancellationToken).ConfigureAwait(false))
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

    /// <summary>
    /// The day folders under <paramref name="root"/> from <paramref name="first"/> on, walking the
    /// folders that exist (years, then months, then days) rather than every calendar day since: a
    /// window in 1970 costs a few listings, not one per day until today. Feedback is filed by the day
    /// it arrived, which can be any time after the window, so its folders are not bounded by the window's end.
    /// </summary>
    /// <param name="first">The first day's folder (zero-padded "yyyy/MM/dd", so ordinal order is the calendar's); null when every folder under <paramref name="root"/> is late enough.</param>
    /// <param name="children">Lists a folder's subfolders (full prefixes ending in '/').</param>
    internal static async IAsyncEnumerable<string> DayFoldersAsync(string root, string? first, Func<string, IAsyncEnumerable<string>> children, int depth = 3)
    {
        await foreach (var child in children(root).ConfigureAwait(false))
        {
            var order = first is null ? 1 : string.CompareOrdinal(child, first[..Math.Min(child.Length, first.Length)]);
            if (order < 0)
            {
                continue;
            }

            if (depth == 1)
            {
                yield return child;
                continue;
            }

            await foreach (var day in DayFoldersAsync(child, order > 0 ? null : first, children, depth - 1).ConfigureAwait(false))
            {
                yield return day;
            }
        }
    }

    private static string DayFolder(string model, DateTimeOffset day) => $"{model}/feedback/{day.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}/";
}
