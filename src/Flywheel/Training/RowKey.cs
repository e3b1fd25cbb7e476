using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Flywheel.Training;

/// <summary>
/// A row's identity for splitting and for the gate: a 128-bit hash of its values on some columns
/// (in the order given; a missing cell is told apart from an empty one). Two rows with the same
/// values on those columns have the same key, so exact duplicates always land in the same split
/// part, and a row a champion trained on is recognised in any later dataset version.
/// </summary>
public static class RowKey
{
    private const byte Missing = 0, Present = 1;

    public static UInt128 Of(ReadOnlySpan<string?> values)
    {
        var hash = new XxHash128();
        Span<byte> tag = stackalloc byte[1];
        byte[]? rented = null;
        try
        {
            foreach (var value in values)
            {
                if (value is null)
                {
                    tag[0] = Missing;
                    hash.Append(tag);
                    continue;
                }

                var length = Encoding.UTF8.GetMaxByteCount(value.Length) + 5;
                if (rented is null || rented.Length < length)
                {
                    if (rented is not null)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }

                    rented = ArrayPool<byte>.Shared.Rent(length);
                }

                rented[0] = Present;
                var written = Encoding.UTF8.GetBytes(value, rented.AsSpan(5));
                // The length keeps ("ab", "c") and ("a", "bc") apart.
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(rented.AsSpan(1), written);
                hash.Append(rented.AsSpan(0, written + 5));
            }

            return hash.GetCurrentHashAsUInt128();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The hash seed a split's salt stands for.</summary>
    public static long Seed(string salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
        return unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(salt)));
    }

    /// <summary>
    /// Where a row falls in [0, 1) under a salt's <paramref name="seed"/>: uniform over rows, fixed for
    /// a row and a salt, and independent of every other row, the training seed and the dataset version.
    /// </summary>
    public static double Position(UInt128 key, long seed)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(bytes, key);
        return (XxHash64.HashToUInt64(bytes, seed) >> 11) * (1.0 / (1UL << 53));
    }
}
