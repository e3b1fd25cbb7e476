using System.Text;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Profiling;

/// <summary>
/// The most frequent values of a column in bounded memory: exact while the column has at most
/// <see cref="Capacity"/> distinct values, then Misra-Gries heavy hitters (counts become lower
/// bounds and <see cref="Exact"/> turns false). Values are keyed by hash so a repeat costs no allocation.
/// A column that keeps overflowing (ids, measurements) has no meaningful top values: tracking stops
/// and <see cref="Abandoned"/> turns true, which keeps profiling such columns cheap.
/// </summary>
public sealed class TopValues
{
    public const int Capacity = 1024;
    private const int MaxDecrements = 16;
    private readonly Dictionary<ulong, Entry> _entries = new(Capacity);
    private int _decrements;

    public bool Exact { get; private set; } = true;

    public bool Abandoned { get; private set; }

    public void Add(ulong hash, ReadOnlySpan<byte> value)
    {
        if (Abandoned)
        {
            return;
        }

        if (_entries.TryGetValue(hash, out var entry))
        {
            entry.Count++;
            return;
        }

        if (_entries.Count >= Capacity)
        {
            Exact = false;
            Decrement();
            return;
        }

        _entries[hash] = new Entry(Encoding.UTF8.GetString(value));
    }

    public IReadOnlyList<ValueCount> Top(int count) =>
        [.. _entries.Values
            .OrderByDescending(entry => entry.Count)
            .ThenBy(entry => entry.Value, StringComparer.Ordinal)
            .Take(count)
            .Select(entry => new ValueCount(entry.Value, entry.Count))];

    /// <summary>Every tracked value and its count; complete only while <see cref="Exact"/>.</summary>
    public IReadOnlyDictionary<string, long> All() => _entries.Values.ToDictionary(entry => entry.Value, entry => entry.Count, StringComparer.Ordinal);

    private void Decrement()
    {
        if (++_decrements > MaxDecrements)
        {
            Abandoned = true;
            _entries.Clear();
            return;
        }

        List<ulong>? empty = null;
        foreach (var (key, entry) in _entries)
        {
            if (--entry.Count == 0)
            {
                (empty ??= []).Add(key);
            }
        }

        foreach (var key in empty ?? [])
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry(string value)
    {
        public string Value { get; } = value;

        public long Count { get; set; } = 1;
    }
}
