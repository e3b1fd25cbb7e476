using System.Numerics;

namespace Flywheel.Datasets.Profiling;

/// <summary>
/// Distinct-count estimate in fixed memory (2^12 one-byte registers, about 1.6% standard error),
/// mergeable across files and partitions.
/// </summary>
public sealed class HyperLogLog
{
    private const int Precision = 12;
    private const int RegisterCount = 1 << Precision;
    private readonly byte[] _registers;

    public HyperLogLog()
        : this(new byte[RegisterCount])
    {
    }

    private HyperLogLog(byte[] registers)
    {
        _registers = registers;
    }

    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
        }
    }

    public void Merge(HyperLogLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < RegisterCount; i++)
        {
            _registers[i] = Math.Max(_registers[i], other._registers[i]);
        }
    }

    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var register in _registers)
        {
            sum += Math.ScaleB(1.0, -register);
            if (register == 0)
            {
                zeros++;
            }
        }

        const double alpha = 0.7213 / (1 + (1.079 / RegisterCount));
        var estimate = alpha * RegisterCount * RegisterCount / sum;
        if (estimate <= 2.5 * RegisterCount && zeros > 0)
        {
            // Linear counting is far more accurate while many registers are still empty.
            estimate = RegisterCount * Math.Log((double)RegisterCount / zeros);
        }

        return (long)Math.Round(estimate);
    }

    public string ToBase64() => Convert.ToBase64String(_registers);

    public static HyperLogLog FromBase64(string value)
    {
        var registers = Convert.FromBase64String(value);
        if (registers.Length != RegisterCount)
        {
            throw new FormatException($"A HyperLogLog has {RegisterCount} registers, not {registers.Length}.");
        }

        return new HyperLogLog(registers);
    }
}
