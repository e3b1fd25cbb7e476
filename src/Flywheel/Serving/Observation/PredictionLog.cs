using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Routing;
using Flywheel.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flywheel.Serving.Observation;

/// <summary>One logged prediction: what came in, what went out, which version answered, how fast.</summary>
public sealed record PredictionRecord(
    string RequestId,
    string Model,
    int Version,
    DateTimeOffset Time,
    double LatencyMs,
    JsonElement Inputs,
    [property: JsonConverter(typeof(PredictionsJsonConverter))] IReadOnlyList<object?> Outputs,
    bool Shadow = false,
    int? PrimaryVersion = null,
    bool? AgreesWithPrimary = null);

/// <summary>
/// The sampled prediction log, written off the request path: predictions are queued (a full queue
/// drops the entry, never waits), and a background loop writes them in batches as JSON lines to
/// <c>predictions/{model}/{yyyy}/{MM}/{dd}/{HH}/{instance}-{time}.jsonl</c>. Storage failures lose
/// that batch and are logged; a crash loses at most the entries not yet flushed.
/// </summary>
public sealed partial class PredictionLog(StorageClients storage, IOptions<ServingOptions> options, TimeProvider time, Random random, ILogger<PredictionLog> logger)
    : BackgroundService
{
    private static readonly string s_instance = Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is { Length: > 0 } id ? id[..Math.Min(id.Length, 12)] : Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<PredictionRecord> _queue = Channel.CreateBounded<PredictionRecord>(
        new BoundedChannelOptions(options.Value.PredictionLogQueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _dropped;
    private long _second;
    private long _inSecond;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The folder (blob prefix, with its trailing slash) of a model's entries logged in the hour of <paramref name="time"/>.</summary>
    public static string HourFolder(string model, DateTimeOffset time) =>
        $"{model}/{time.UtcDateTime.ToString("yyyy'/'MM'/'dd'/'HH", CultureInfo.InvariantCulture)}/";

    /// <summary>Whether this request is in the sample: drawn at the sample rate, then held under the per-second cap.</summary>
    public bool Sampled()
    {
        var settings = options.Value;
        if (settings.PredictionLogSampleRate < 1 && random.NextDouble() >= settings.PredictionLogSampleRate)
        {
            return false;
        }

        if (settings.PredictionLogMaxPerSecond <= 0)
        {
            return true;
        }

        var second = time.GetTimestamp() / time.TimestampFrequency;
        var current = Volatile.Read(ref _second);
        if (current != second && Interlocked.CompareExchange(ref _second, second, current) == current)
        {
            // A request racing this reset may count against the old second; the cap is a budget, not an exact quota.
            Interlocked.Exchange(ref _inSecond, 0);
        }

        return Interlocked.Increment(ref _inSecond) <= settings.PredictionLogMaxPerSecond;
    }

    public void Append(PredictionRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PredictionRecord>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                window.CancelAfter(options.Value.PredictionLogFlushInterval);
                while (batch.Count < options.Value.PredictionLogBatchSize && await _queue.Reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                {
                    while (batch.Count < options.Value.PredictionLogBatchSize && _queue.Reader.TryRead(out var record))
                    {
                        batch.Add(record);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The flush interval passed (or the host is stopping): write what there is.
            }

            await FlushAsync(batch).ConfigureAwait(false);
        }

        while (_queue.Reader.TryRead(out var left))
        {
            batch.Add(left);
        }

        await FlushAsync(batch).ConfigureAwait(false);
    }

    private async Task FlushAsync(List<PredictionRecord> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var container = await storage.ContainerAsync(StorageNames.PredictionsContainer, CancellationToken.None).ConfigureAwait(false);
            foreach (var group in batch.GroupBy(r => HourFolder(r.Model, r.Time)))
            {
                var lines = new StringBuilder();
                foreach (var record in group)
                {
                    lines.Append(JsonSerializer.Serialize(record, Json.Options)).Append('\n');
                }

                var path = $"{group.Key}{s_instance}-{time.GetUtcNow():HHmmssfffffff}.jsonl";
                await container.GetBlobClient(path).UploadAsync(BinaryData.FromString(lines.ToString()), overwrite: true).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Whatever failed, the log loses this batch and goes on: it must never stop the host or block predictions.
            LogFlushFailed(logger, ex, batch.Count);
        }
        finally
        {
            batch.Clear();
        }
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Could not write {Count} prediction log entries; they are lost, predictions are unaffected")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}
