using System.Text;

namespace Flywheel.Datasets.Columns;

/// <summary>
/// One column of a dataset version as the drift tests read it, written once (at ingest, or at a
/// version's first comparison) beside the content: its numbers sorted and counted
/// (<see cref="NumberCounts"/>; cells that are not numbers are type errors) and its text values
/// counted, so comparing versions reads a few kilobytes per column instead of parsing and sorting
/// the whole file again. A view that outgrew its budget is left out (null) and read from the
/// content instead.
/// </summary>
/// <param name="Values">Non-missing cells.</param>
/// <param name="Numbers">The numbers' counts as <see cref="NumberCounts.Write"/> wrote them (kept written: a few bytes a value).</param>
internal sealed record StoredColumn(long Values, long Missing, long TypeErrors, byte[]? Numbers, IReadOnlyDictionary<string, long>? Text)
{
    public NumberCounts? ReadNumbers()
    {
        if (Numbers is null)
        {
            return null;
        }

        var reader = new ColumnReader(Numbers);
        var counts = NumberCounts.Read(ref reader);
        return reader.End ? counts : throw new InvalidDataException("A stored column's numbers have bytes past their end.");
    }

    private static ReadOnlySpan<byte> Magic => "FWC1"u8;

    public byte[] Encode()
    {
        var writer = new ColumnWriter();
        writer.WriteRaw(Magic);

        writer.WriteVarint((ulong)Values);
        writer.WriteVarint((ulong)Missing);
        writer.WriteVarint((ulong)TypeErrors);
        writer.WriteByte((byte)((Numbers is null ? 0 : 1) | (Text is null ? 0 : 2)));
        if (Numbers is not null)
        {
            writer.WriteBytes(Numbers);
        }

        if (Text is not null)
        {
            writer.WriteVarint((ulong)Text.Count);
            foreach (var (value, count) in Text.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteBytes(Encoding.UTF8.GetBytes(value));
                writer.WriteVarint((ulong)count);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Whether an encoded column has its numbers (<paramref name="numbers"/>) or its text counts, without decoding it.</summary>
    public static bool Has(ReadOnlySpan<byte> bytes, bool numbers)
    {
        var reader = new ColumnReader(bytes.StartsWith(Magic) ? bytes[Magic.Length..] : throw new InvalidDataException("Not a stored column."));
        _ = reader.ReadVarint();
        _ = reader.ReadVarint();
        _ = reader.ReadVarint();
        return (reader.ReadByte() & (numbers ? 1 : 2)) != 0;
    }

    public static StoredColumn Decode(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith(Magic))
        {
            throw new InvalidDataException("Not a stored column.");
        }

        var reader = new ColumnReader(bytes[Magic.Length..]);
        var values = (long)reader.ReadVarint();
        var missing = (long)reader.ReadVarint();
        var typeErrors = (long)reader.ReadVarint();
        var views = reader.ReadByte();
        var numbers = (views & 1) != 0 ? reader.ReadBytes().ToArray() : null;
        Dictionary<string, long>? text = null;
        if ((views & 2) != 0)
        {
            var count = checked((int)reader.ReadVarint());
            text = new Dictionary<string, long>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                text[Encoding.UTF8.GetString(reader.ReadBytes())] = (long)reader.ReadVarint();
            }
        }

        return reader.End ? new StoredColumn(values, missing, typeErrors, numbers, text) : throw new InvalidDataException("A stored column has bytes past its end.");
    }
}
