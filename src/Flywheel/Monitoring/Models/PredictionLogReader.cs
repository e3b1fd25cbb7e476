using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Flywheel.Serving;
using Flywheel.Storage;

namespace Flywheel.Monitoring.Models;

/// <summary>
/// Reads the prediction log back over a window: the hourly folders the window touches, one JSON line
/// per logged request, keeping a version's own answers (shadow scoring left out).
/// </summary>
public sealed class PredictionLogReader(StorageClients storage)
{
    /// <summary>Each logged request's root element; valid until the next one is read.</summary>
    public async IAsyncEnumerable<JsonElement> ReadAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(StorageNames.PredictionsContainer, cancellationToken).ConfigureAwait(false);
        for (var hour = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero); hour < to; hour = hour.AddHours(1))
        {
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, PredictionLog.HourFolder(model, hour), cancellationToken).ConfigureAwait(false))
            {
                var content = await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                var lines = content.Value.Content.ToMemory();
                while (!lines.IsEmpty)
                {
                    var end = lines.Span.IndexOf((byte)'\n');
                    var line = end < 0 ? lines : lines[..end];
                    lines = end < 0 ? ReadOnlyMemory<byte>.Empty : lines[(end + 1)..];
                    if (line.IsEmpty)
                    {
                        continue;
                    }

                    using var record = JsonDocument.Parse(line);
                    var root = record.RootElement;
                    var at = root.GetProperty("time").GetDateTimeOffset();
                    if (at < from || at >= to || root.GetProperty("version").GetInt32() != version || (root.TryGetProperty("shadow", out var shadow) && shadow.GetBoolean()))
                    {
                        continue;
                    }

                    yield return root;
                }
            }
        }
    }
}
