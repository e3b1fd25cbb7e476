using System.Text;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Profiling;

/// <summary>
/// The most frequent values of a column in bounded memory: exact while the column has at most
/// <see cref="Capacity"/> distinct values, then Misra-Gries heavy hitters (counts become lower
/// bounds and <see cref="Exact"/> turns false). Values are keyed by hash so a repeat costs no allocation.
/// A column that keeps overflowing (ids, measurements) has no meaningful top values: tracking stops
/// and <see cref="Abandoned"/> turns true, which keeps profiling such columns cheap.
/// Error bound: every tracked count is at most <see cref="Undercount"/> below the value's true
/// count, and a value not tracked occurred at most that often; past <see cref="MaxUndercount"/>
/// the summary is abandoned, so a summary still kept is never off by more than that.
/// </summary>
public sealed class TopValues
{
    public const int Capacity = 1024;
    public const int MaxUndercount = 16;
    private readonly Dictionary<ulong, Entry> _entries = new(Capacity);

    public bool Exact { get; private set; } = true;

    public bool Abandoned { get; private set; }

    /// <summary>How far below its true count any count may be (0 while <see cref="Exact"/>).</summary>
    public long Undercount { get; private set; }

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

        _entries[hash] = new Entry(Encoding.UTF8.GetString(value), 1);
    }

    /// <summary>
    /// Adds the summary of other rows of the same column (Misra-Gries summaries merge as Agarwal et
    /// al. show). While both are exact and their values together fit <see cref="Capacity"/>, the
    /// result is exact and equal to one summary of all the rows. Otherwise counts add, and when more
    /// than <see cref="Capacity"/> values remain, the count of the (<see cref="Capacity"/> + 1)-th
    /// largest is taken off every count and values left at zero or below are dropped: the
    /// undercount bound becomes the sum of both bounds and that cut. The result is abandoned when
    /// either summary was or when the bound passes <see cref="MaxUndercount"/>, as one summary of all
    /// the rows is past that many decrements; so which of the two reports top values may differ on a
    /// column near that edge, and reported counts are within the bound of the truth either way.
    /// </summary>
    public void Merge(TopValues other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Abandoned)
        {
            return;
        }

        if (other.Abandoned)
        {
            Abandon();
            return;
        }

        foreach (var (key, entry) in other._entries)
        {
            if (_entries.TryGetValue(key, out var mine))
            {
                mine.Count += entry.Count;
            }
            else
            {
                _entries[key] = new Entry(entry.Value, entry.Count);
            }
        }

        Exact &= other.Exact;
        Undercount += other.Undercount;
        if (_entries.Count > Capacity)
        {
            Exact = false;
            var cut = _entries.Values.Select(e => e.Count).OrderDescending().ElementAt(Capacity);
            Undercount += cut;
            foreach (var (key, entry) in _entries.ToList())
            {
                entry.Count -= cut;
                if (entry.Count <= 0)
                {
                    _entries.Remove(key);
                }
            }
        }

        if (Undercount > MaxUndercount)
        {
            Abandon();
        }
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
        // Each decrement takes one from every count (or drops the new value's occurrence).
        if (++Undercount > MaxUndercount)
        {
            Abandon();
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

    private void Abandon()
    {
        Abandoned = true;
        Exact = false;
        _entries.Clear();
    }

    private sealed class Entry(string value, long count)
    {
        public string Value { get; } = value;

        public long Count { get; set; } = count;
    }
}
