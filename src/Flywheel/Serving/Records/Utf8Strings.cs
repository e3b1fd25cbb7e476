using System.Text;

namespace Flywheel.Serving.Records;

/// <summary>
/// Strings read from request bodies, kept by their UTF-8 bytes: a categorical input (a passenger's sex,
/// a port) sends the same few values in every request, and each is then made once instead of once per
/// value. The table is small and lossy: a value whose slot another took is made again, and a long value
/// is never kept. A kept string is returned only for exactly its bytes.
/// </summary>
public static class Utf8Strings
{
    // Categories are short; a long value (free text) would only churn the table.
    private const int MaxBytes = 64;
    private const int Slots = 512;

    private static readonly Entry?[] s_entries = new Entry?[Slots];

    /// <summary>The string of <paramref name="utf8"/> (valid UTF-8, as the readers check each body first).</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        if (Volatile.Read(ref s_entries[slot]) is { } entry && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref s_entries[slot], new Entry(utf8.ToArray(), value));
        return value;
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
