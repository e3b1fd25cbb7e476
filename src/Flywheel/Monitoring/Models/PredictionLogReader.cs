using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Flywheel.Contracts.Monitoring;
using Flywheel.Serving.Observation;
using Flywheel.Storage;

namespace Flywheel.Monitoring.Models;

/// <summary>
/// Reads the prediction log back over a window: the hourly folders the window touches, one JSON line
/// per logged request, keeping a version's own answers (shadow scoring left out).
/// </summary>
public sealed class PredictionLogReader(StorageClients storage)
{
    /// <summary>Each logged request of <paramref name="version"/> (null: of every version), its root element; valid until the next one is read.</summary>
    public async IAsyncEnumerable<JsonElement> ReadAsync(string model, int? version, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var root in ReadAllAsync(model, from, to, cancellationToken).ConfigureAwait(false))
        {
            if (version is null || root.GetProperty("version").GetInt32() == version)
            {
                yield return root;
            }
        }
    }

    /// <summary>The live requests (shadow scoring left out) each version answered in the window, and its share of them; versions in order.</summary>
    public async Task<IReadOnlyList<VersionTraffic>> TrafficAsync(string model, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<int, long>();
        await foreach (var root in ReadAllAsync(model, from, to, cancellationToken).ConfigureAwait(false))
        {
            var version = root.GetProperty("version").GetInt32();
            counts[version] = counts.GetValueOrDefault(version) + 1;
        }

        var total = counts.Values.Sum();
        return [.. counts.Select(c => new VersionTraffic(c.Key, c.Value, (double)c.Value / total))];
    }

    private async IAsyncEnumerable<JsonElement> ReadAllAsync(string model, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                    if (at < from || at >= to || (root.TryGetProperty("shadow", out var shadow) && shadow.GetBoolean()))
                    {
                        continue;
                    }

                    yield return root;
                }
            }
        }
    }
}
