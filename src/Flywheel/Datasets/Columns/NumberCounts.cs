namespace Flywheel.Datasets.Columns;

/// <summary>
/// A column's numbers as its distinct values in ascending order and how often each occurs: what
/// every drift test reads, in a fraction of the room of the numbers themselves (real columns
/// repeat values), and mergeable, so a large file is counted in sorted runs of bounded size.
/// Values are distinct by their bits: -0.0 and 0.0 stay apart, so expanding gives back exactly
/// the numbers that were counted.
/// </summary>
internal sealed class NumberCounts
{
    private static readonly double[] s_powersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    private const double ExactIntegers = 9007199254740992.0; // 2^53
    private const byte RawBits = 0xFF;

    private NumberCounts(double[] values, long[] counts, int length)
    {
        Values = values;
        Counts = counts;
        Length = length;
        for (var i = 0; i < length; i++)
        {
            Total += counts[i];
        }
    }

    public static NumberCounts Empty { get; } = new([], [], 0);

    public double[] Values { get; }

    public long[] Counts { get; }

    /// <summary>How many distinct values.</summary>
    public int Length { get; }

    /// <summary>How many numbers.</summary>
    public long Total { get; }

    /// <summary>Counts numbers already in ascending order (as <see cref="NumberOrder.Sort"/> leaves them).</summary>
    public static NumberCounts OfSorted(ReadOnlySpan<double> sorted)
    {
        var values = new double[sorted.Length];
        var counts = new long[sorted.Length];
        var length = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (length > 0 && BitConverter.DoubleToInt64Bits(values[length - 1]) == BitConverter.DoubleToInt64Bits(sorted[i]))
            {
                counts[length - 1]++;
                continue;
            }

            values[length] = sorted[i];
            counts[length++] = 1;
        }

        return new NumberCounts(values, counts, length);
    }

    /// <summary>Merges runs counted apart into one (a value in several runs adds its counts).</summary>
    public static NumberCounts Merge(IReadOnlyList<NumberCounts> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var merged = runs.ToList();
        while (merged.Count > 1)
        {
            var next = new List<NumberCounts>((merged.Count + 1) / 2);
            for (var i = 0; i < merged.Count; i += 2)
            {
                next.Add(i + 1 < merged.Count ? Merge(merged[i], merged[i + 1]) : merged[i]);
            }

            merged = next;
        }

        return merged.Count == 0 ? Empty : merged[0];
    }

    private static NumberCounts Merge(NumberCounts a, NumberCounts b)
    {
        var values = new double[a.Length + b.Length];
        var counts = new long[a.Length + b.Length];
        int i = 0, j = 0, length = 0;
        while (i < a.Length || j < b.Length)
        {
            var order = i == a.Length ? 1 : j == b.Length ? -1 : NumberOrder.Flip((ulong)BitConverter.DoubleToInt64Bits(a.Values[i])).CompareTo(NumberOrder.Flip((ulong)BitConverter.DoubleToInt64Bits(b.Values[j])));
            if (order <= 0)
            {
                values[length] = a.Values[i];
                counts[length] = a.Counts[i++] + (order == 0 ? b.Counts[j++] : 0);
            }
            else
            {
                values[length] = b.Values[j];
                counts[length] = b.Counts[j++];
            }

            length++;
        }

        return new NumberCounts(values, counts, length);
    }

    /// <summary>Every number, ascending, each as often as it was counted.</summary>
    public double[] Expand()
    {
        var numbers = new double[Total];
        var at = 0;
        for (var i = 0; i < Length; i++)
        {
            numbers.AsSpan(at, (int)Counts[i]).Fill(Values[i]);
            at += (int)Counts[i];
        }

        return numbers;
    }

    /// <summary>
    /// Writes the counts. When every value is a plain decimal (k digits after the point, at most
    /// 15 significant), values are written as the integers value x 10^k, as deltas: a column of
    /// prices or sensor readings then takes a byte or two per distinct value. Otherwise the
    /// order-preserving bits are written, as deltas. Either way reading gives back the same bits.
    /// </summary>
    public void Write(ColumnWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteVarint((ulong)Length);
        var scale = DecimalScale();
        writer.WriteByte(scale);
        ulong previous = 0;
        for (var i = 0; i < Length; i++)
        {
            var key = scale == RawBits ? NumberOrder.Flip((ulong)BitConverter.DoubleToInt64Bits(Values[i])) : OrderKey((long)Math.Round(Values[i] * s_powersOfTen[scale]));
            writer.WriteVarint(i == 0 ? key : key - previous);
            writer.WriteVarint((ulong)Counts[i]);
            previous = key;
        }
    }

    public static NumberCounts Read(ref ColumnReader reader)
    {
        var length = checked((int)reader.ReadVarint());
        var scale = reader.ReadByte();
        if (scale != RawBits && scale >= s_powersOfTen.Length)
        {
            throw new InvalidDataException($"A stored column's numbers have an unknown scale {scale}.");
        }

        var values = new double[length];
        var counts = new long[length];
        ulong key = 0;
        for (var i = 0; i < length; i++)
        {
            key = i == 0 ? reader.ReadVarint() : key + reader.ReadVarint();
            values[i] = scale == RawBits ? BitConverter.Int64BitsToDouble((long)NumberOrder.Unflip(key)) : FromOrderKey(key) / s_powersOfTen[scale];
            counts[i] = (long)reader.ReadVarint();
        }

        return new NumberCounts(values, counts, length);
    }

    // The smallest k for which every value is exactly (integer / 10^k) with |integer| < 2^53, else raw.
    private byte DecimalScale()
    {
        var scale = 0;
        for (var i = 0; i < Length; i++)
        {
            while (!IsExact(Values[i], scale))
            {
                if (++scale == s_powersOfTen.Length)
                {
                    return RawBits;
                }
            }
        }

        // A value exact at a smaller scale can leave the exact integers at a larger one.
        for (var i = 0; i < Length; i++)
        {
            if (!IsExact(Values[i], scale))
            {
                return RawBits;
            }
        }

        return (byte)scale;
    }

    // Integer and power of ten are both exact doubles, so the one division is correctly rounded: if
    // it gives back the value's bits here, it gives them back when read.
    private static bool IsExact(double value, int scale)
    {
        // Through long, as written: -0.0 comes back as 0.0 and so stays raw.
        var scaled = Math.Round(value * s_powersOfTen[scale]);
        return Math.Abs(scaled) < ExactIntegers && BitConverter.DoubleToInt64Bits((long)scaled / s_powersOfTen[scale]) == BitConverter.DoubleToInt64Bits(value);
    }

    // Flipping the sign bit keeps ascending integers' keys ascending, so every delta is small and positive.
    private static ulong OrderKey(long value) => (ulong)value ^ 0x8000_0000_0000_0000UL;

    private static double FromOrderKey(ulong key) => (long)(key ^ 0x8000_0000_0000_0000UL);
}
