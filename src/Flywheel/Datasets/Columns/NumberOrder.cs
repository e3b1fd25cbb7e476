using System.Buffers;
using System.Runtime.InteropServices;

namespace Flywheel.Datasets.Columns;

/// <summary>Numbers in ascending order: the sort every stored column and every drift test uses, and the order-preserving integer key of a double.</summary>
internal static class NumberOrder
{
    /// <summary>
    /// Sorts finite doubles ascending. Large arrays go through an LSD radix sort on the IEEE bits
    /// (flipped so unsigned order is numeric order), 8 bits a pass, skipping passes where every
    /// value has the same byte: several times faster than introsort on a million values, and
    /// sorting was most of a drift comparison's time. Small arrays sort the same keys with
    /// introsort. Either way the order is the keys' order, so equal bits end up side by side:
    /// -0.0 before 0.0 (which compare equal as doubles), as <see cref="NumberCounts"/> counts them.
    /// </summary>
    public static void Sort(Span<double> values)
    {
        var keys = MemoryMarshal.Cast<double, ulong>(values);
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Flip(keys[i]);
        }

        if (values.Length < 4_096)
        {
            keys.Sort();
        }
        else
        {
            RadixSort(keys);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Unflip(keys[i]);
        }
    }

    /// <summary>The order-preserving key of a double: unsigned order of keys is numeric order (-0.0 just before 0.0).</summary>
    public static ulong Key(double value) => Flip((ulong)BitConverter.DoubleToInt64Bits(value));

    /// <summary>The double a <see cref="Key"/> came from.</summary>
    public static double FromKey(ulong key) => BitConverter.Int64BitsToDouble((long)Unflip(key));

    private static void RadixSort(Span<ulong> keys)
    {
        var counts = new int[8 * 256];
        foreach (var key in keys)
        {
            for (var b = 0; b < 8; b++)
            {
                counts[(b << 8) | (int)((key >> (b * 8)) & 0xFF)]++;
            }
        }

        var rented = ArrayPool<ulong>.Shared.Rent(keys.Length);
        try
        {
            Span<ulong> source = keys, target = rented.AsSpan(0, keys.Length);
            for (var b = 0; b < 8; b++)
            {
                var pass = counts.AsSpan(b << 8, 256);
                if (pass.Contains(keys.Length))
                {
                    continue; // every value has the same byte here
                }

                var offset = 0;
                for (var d = 0; d < 256; d++)
                {
                    (pass[d], offset) = (offset, offset + pass[d]);
                }

                var shift = b * 8;
                foreach (var key in source)
                {
                    target[pass[(int)((key >> shift) & 0xFF)]++] = key;
                }

                var swap = source;
                source = target;
                target = swap;
            }

            if (source != keys)
            {
                source.CopyTo(keys);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    private static ulong Flip(ulong bits) => (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;

    private static ulong Unflip(ulong key) => (key & 0x8000_0000_0000_0000UL) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key;
}
