using System.Runtime.InteropServices;
using System.Text;

namespace Flywheel.Datasets.Columns;

/// <summary>How often each text value occurs, counted from UTF-8 cells with a string per distinct value only, not per cell.</summary>
internal sealed class TextCounts
{
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TextCounts() => _lookup = Counts.GetAlternateLookup<ReadOnlySpan<char>>();

    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts the value; true when it was not seen before.</summary>
    public bool Add(ReadOnlySpan<byte> utf8)
    {
        var chars = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        Span<char> text = chars <= 256 ? stackalloc char[chars] : new char[chars];
        text = text[..Encoding.UTF8.GetChars(utf8, text)];
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, text, out var known);
        count++;
        return !known;
    }
}
