using Microsoft.Extensions.Options;

namespace Flywheel.Monitoring.Drift;

/// <summary>
/// Columns already read from a dataset version, kept in memory up to
/// <see cref="MonitoringOptions.ColumnCacheBytes"/> and dropped least recently used first. A
/// version's content never changes (it is addressed by its SHA-256), so an entry is never stale:
/// a model's hourly monitoring run reads its reference from here instead of parsing the reference
/// file again, and so does a second comparison against the same version. Entries are frozen
/// (sorted, counted) before they are shared.
/// </summary>
public sealed class ColumnSampleCache(IOptions<MonitoringOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Sha256, string Column, bool Numerical), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = new();
    private long _bytes;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public ColumnSample? Get(string sha256, string column, bool numerical)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((sha256, column, numerical), out var node))
            {
                return null;
            }

            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value.Sample;
        }
    }

    /// <summary>Keeps the sample (frozen) when it fits the budget, evicting the least recently used entries to make room.</summary>
    public void Add(string sha256, string column, ColumnSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var budget = options.Value.ColumnCacheBytes;
        var size = sample.Bytes;
        if (size > budget)
        {
            return;
        }

        sample.Freeze();
        lock (_gate)
        {
            var key = (sha256, column, sample.Numerical);
            if (_entries.ContainsKey(key))
            {
                return;
            }

            while (_bytes + size > budget && _recent.Last is { } oldest)
            {
                _recent.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Sample.Bytes;
            }

            _entries[key] = _recent.AddFirst(new Entry(key, sample));
            _bytes += size;
        }
    }

    private sealed record Entry((string Sha256, string Column, bool Numerical) Key, ColumnSample Sample);
}
