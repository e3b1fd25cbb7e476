using Microsoft.Extensions.Options;

namespace Flywheel.Monitoring.Drift;

/// <summary>
/// Stored columns already read (encoded, as in storage: a few bytes per distinct value), kept up
/// to <see cref="MonitoringOptions.ColumnCacheBytes"/> and dropped least recently used first. A
/// version's content never changes (it is addressed by its SHA-256), so an entry is never stale:
/// a model's hourly monitoring run and a second comparison against the same version read no
/// storage for it. Decoding one is cheap, so entries stay encoded and each comparison decodes
/// only the columns it is testing.
/// </summary>
public sealed class StoredColumnCache(IOptions<MonitoringOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Sha256, int Ordinal), LinkedListNode<Entry>> _entries = [];
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

    public byte[]? Get(string sha256, int ordinal)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((sha256, ordinal), out var node))
            {
                return null;
            }

            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value.Column;
        }
    }

    /// <summary>Keeps the column when it fits the budget, evicting the least recently used entries to make room.</summary>
    public void Add(string sha256, int ordinal, byte[] column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var budget = options.Value.ColumnCacheBytes;
        if (column.Length > budget)
        {
            return;
        }

        lock (_gate)
        {
            var key = (sha256, ordinal);
            if (_entries.ContainsKey(key))
            {
                return;
            }

            while (_bytes + column.Length > budget && _recent.Last is { } oldest)
            {
                _recent.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Column.Length;
            }

            _entries[key] = _recent.AddFirst(new Entry(key, column));
            _bytes += column.Length;
        }
    }

    private sealed record Entry((string Sha256, int Ordinal) Key, byte[] Column);
}
