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
/// Latencies are stored as "bucket:count,..." and labels as "label:count,..." with each label percent-encoded.
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
    public async Task<SignalCounts> SumAsync(string model, int version, long fromMinute, long toMinute, CancellationToken cancellationToken) =>
        (await SumAllAsync(model, fromMinute, toMinute, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(version) ?? new Sum().Counts();

    /// <summary>Every instance's counts of each version of <paramref name="model"/> with any over minutes [<paramref name="fromMinute"/>, <paramref name="toMinute"/>).</summary>
    public async Task<IReadOnlyDictionary<int, SignalCounts>> SumAllAsync(string model, long fromMinute, long toMinute, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.SignalTable, cancellationToken).ConfigureAwait(false);
        var sums = new SortedDictionary<int, Sum>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {model} and RowKey ge {MinuteKey(fromMinute)} and RowKey lt {MinuteKey(toMinute)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var version = VersionOf(row.RowKey);
            if (!sums.TryGetValue(version, out var sum))
            {
                sums[version] = sum = new Sum();
            }

            sum.Add(row);
        }

        return sums.ToDictionary(s => s.Key, s => s.Value.Counts());
    }

    private TableEntity Entity(SignalMinute minute)
    {
        var row = new TableEntity(minute.Model, $"{MinuteKey(minute.Minute)}-{minute.Version.ToString("D10", CultureInfo.InvariantCulture)}-{instance.Id}")
        {
            ["shadowCompared"] = minute.Counts.ShadowCompared,
            ["shadowAgreed"] = minute.Counts.ShadowAgreed,
        };
        Write(row, string.Empty, minute.Counts);
        if (minute.Counts.Shadow is { } shadow)
        {
            Write(row, ShadowPrefix, shadow);
        }

        return row;
    }

    /// <summary>One kind of traffic's counts, under names with <paramref name="prefix"/> (none for live traffic, as rows always had).</summary>
    private static void Write(TableEntity row, string prefix, SignalCounts counts)
    {
        var latency = new StringBuilder();
        for (var k = 0; k < counts.Latency.Count; k++)
        {
            if (counts.Latency[k] > 0)
            {
                latency.Append(latency.Length == 0 ? string.Empty : ",").Append(k).Append(':').Append(counts.Latency[k]);
            }
        }

        row[Name(prefix, "requests")] = counts.Requests;
        row[Name(prefix, "errors")] = counts.Errors;
        row[Name(prefix, "latency")] = latency.ToString();
        row[Name(prefix, "labels")] = string.Join(',', counts.Labels.Select(l => $"{Uri.EscapeDataString(l.Key)}:{l.Value.ToString(CultureInfo.InvariantCulture)}"));
    }

    /// <summary>"requests", or "shadowRequests" with the shadow's prefix.</summary>
    private static string Name(string prefix, string name) => prefix.Length == 0 ? name : string.Concat(prefix, char.ToUpperInvariant(name[0]).ToString(), name.AsSpan(1));

    private const string ShadowPrefix = "shadow";

    private static string MinuteKey(long minute) => minute.ToString("D10", CultureInfo.InvariantCulture);

    private static int VersionOf(string rowKey) => int.Parse(rowKey.AsSpan(11, 10), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Adds "key:count,..." to <paramref name="add"/>.</summary>
    private static void AddPairs(string? encoded, Action<string, long> add)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return;
        }

        foreach (var pair in encoded.Split(','))
        {
            var colon = pair.LastIndexOf(':');
            add(pair[..colon], long.Parse(pair.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>One version's counts summed over rows as they are read: live and shadow traffic apart.</summary>
    private sealed class Sum
    {
        private readonly Tally _live = new(string.Empty);
        private readonly Tally _shadow = new(ShadowPrefix);
        private long _compared, _agreed;

        public void Add(TableEntity row)
        {
            _compared += row.GetInt64("shadowCompared") ?? 0;
            _agreed += row.GetInt64("shadowAgreed") ?? 0;
            _live.Add(row);
            _shadow.Add(row);
        }

        public SignalCounts Counts() => _live.Counts(_compared, _agreed) with { Shadow = _shadow.Counts(_compared, _agreed) };
    }

    private sealed class Tally(string prefix)
    {
        private readonly long[] _latency = new long[LatencyHistogram.BucketCount];
        private readonly Dictionary<string, long> _labels = new(StringComparer.Ordinal);
        private long _requests, _errors;

        public void Add(TableEntity row)
        {
            _requests += row.GetInt64(Name(prefix, "requests")) ?? 0;
            _errors += row.GetInt64(Name(prefix, "errors")) ?? 0;

            // Buckets beyond today's count go to the last: a future finer histogram must not break reads.
            AddPairs(row.GetString(Name(prefix, "latency")), (bucket, count) =>
                _latency[Math.Min(int.Parse(bucket, NumberStyles.None, CultureInfo.InvariantCulture), _latency.Length - 1)] += count);

            // Labels are percent-encoded (RFC 3986), so a comma or a colon in one cannot break the list.
            AddPairs(row.GetString(Name(prefix, "labels")), (encoded, count) =>
            {
                var label = Uri.UnescapeDataString(encoded);
                _labels[label] = _labels.GetValueOrDefault(label) + count;
            });
        }

        public SignalCounts Counts(long compared, long agreed) => new(_requests, _errors, _latency, compared, agreed) { Labels = _labels };
    }
}
