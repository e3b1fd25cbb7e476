using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Flywheel.Storage;

namespace Flywheel.Serving.Signal;

/// <summary>Which instance wrote a row of the signal: Azure's instance id where there is one, else this process.</summary>
public sealed record SignalInstance(string Id)
{
    public static SignalInstance Current() =>
        new(Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is { Length: > 0 } azure
            ? azure
            : $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}");
}

/// <summary>
/// The serving signal in storage: one row per model version, minute and instance (partition = model), holding
/// that instance's totals for the minute. A write replaces the row with the totals so far, so writing a minute
/// again (each flush, a retry) never counts twice; a read sums every instance's rows over a range of minutes.
/// </summary>
public sealed class SignalStore(StorageClients storage, SignalInstance instance)
{
    private const int MaxBatch = 100;

    public async Task WriteAsync(IReadOnlyList<SignalMinute> minutes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        if (minutes.Count == 0)
        {
            return;
        }

        var table = await storage.TableAsync(StorageNames.SignalTable, cancellationToken).ConfigureAwait(false);
        foreach (var model in minutes.GroupBy(m => m.Model, StringComparer.Ordinal))
        {
            foreach (var chunk in model.Chunk(MaxBatch))
            {
                var actions = chunk.Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(m))).ToList();
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every instance's counts of <paramref name="model"/> v<paramref name="version"/> over minutes [<paramref name="fromMinute"/>, <paramref name="toMinute"/>).</summary>
    public async Task<SignalCounts> SumAsync(string model, int version, long fromMinute, long toMinute, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.SignalTable, cancellationToken).ConfigureAwait(false);
        long requests = 0, errors = 0, compared = 0, agreed = 0;
        var latency = new long[LatencyHistogram.BucketCount];
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {model} and RowKey ge {MinuteKey(fromMinute)} and RowKey lt {MinuteKey(toMinute)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (VersionOf(row.RowKey) != version)
            {
                continue;
            }

            requests += row.GetInt64("requests") ?? 0;
            errors += row.GetInt64("errors") ?? 0;
            compared += row.GetInt64("shadowCompared") ?? 0;
            agreed += row.GetInt64("shadowAgreed") ?? 0;
            AddLatency(row.GetString("latency"), latency);
        }

        return new SignalCounts(requests, errors, latency, compared, agreed);
    }

    private TableEntity Entity(SignalMinute minute)
    {
        var latency = new StringBuilder();
        for (var k = 0; k < minute.Counts.Latency.Count; k++)
        {
            if (minute.Counts.Latency[k] > 0)
            {
                latency.Append(latency.Length == 0 ? string.Empty : ",").Append(k).Append(':').Append(minute.Counts.Latency[k]);
            }
        }

        return new TableEntity(minute.Model, $"{MinuteKey(minute.Minute)}-{minute.Version.ToString("D10", CultureInfo.InvariantCulture)}-{instance.Id}")
        {
            ["requests"] = minute.Counts.Requests,
            ["errors"] = minute.Counts.Errors,
            ["shadowCompared"] = minute.Counts.ShadowCompared,
            ["shadowAgreed"] = minute.Counts.ShadowAgreed,
            ["latency"] = latency.ToString(),
        };
    }

    private static string MinuteKey(long minute) => minute.ToString("D10", CultureInfo.InvariantCulture);

    private static int VersionOf(string rowKey) => int.Parse(rowKey.AsSpan(11, 10), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Adds "bucket:count,..." to <paramref name="latency"/>; buckets beyond today's count go to the last (a future finer histogram must not break reads).</summary>
    private static void AddLatency(string? encoded, long[] latency)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return;
        }

        foreach (var pair in encoded.Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            var bucket = int.Parse(pair.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
            latency[Math.Min(bucket, latency.Length - 1)] += long.Parse(pair.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }
}
