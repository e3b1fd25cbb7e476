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

    private static NumberCounts Empty { get; } = new([], [], 0);

    public double[] Values { get; }

    public long[] Counts { get; }

    /// <summary>How many distinct values.</summary>
    public int Length { get; }

    /// <summary>How many numbers.</summary>
    public long Total { get; }

    /// <summary>Distinct values already in ascending order (as <see cref="NumberOrder.Sort"/> leaves them) with their counts.</summary>
    public static NumberCounts Of(double[] values, long[] counts)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(counts);
        return new NumberCounts(values, counts, values.Length);
    }

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

    /// <summary>
    /// Merges runs counted apart and written by <see cref="Write"/> into one written run (a value in
    /// several runs adds its counts), reading the runs as it goes rather than decoding them whole:
    /// a column's runs stay a few bytes per value however many numbers it has.
    /// </summary>
    public static byte[] Merge(IReadOnlyList<byte[]> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            return Empty.ToBytes();
        }

        // Two at a time, level by level: each level reads every value once, with one comparison per value.
        var level = runs.ToList();
        while (level.Count > 1)
        {
            var next = new List<byte[]>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
            {
                next.Add(i + 1 < level.Count ? Merge(level[i], level[i + 1]) : level[i]);
            }

            level = next;
        }

        return level[0];
    }

    private static byte[] Merge(byte[] first, byte[] second)
    {
        var (firstScale, secondScale) = (new Cursor(first).Scale, new Cursor(second).Scale);
        if (firstScale == secondScale)
        {
            return MergeStored(first, second, firstScale);
        }

        // The merged scale is the larger (raw, 0xFF, when either is), unless a value leaves the exact integers at it.
        var scale = Math.Max(firstScale, secondScale);
        var (length, exact) = (0, true);
        Walk(first, second, (value, _) =>
        {
            length++;
            exact &= scale == RawBits || IsExact(value, scale);
        });

        var writer = new ColumnWriter();
        var counts = new Writer(writer, length, exact ? scale : RawBits);
        Walk(first, second, counts.Add);
        return writer.ToArray();
    }

    /// <summary>
    /// Runs of one scale (most of a column's: its values have the same decimals): their stored keys
    /// order the values as numbers, so they merge key by key, without turning a key into a number
    /// and back, and every value stays exact at that scale.
    /// </summary>
    private static byte[] MergeStored(byte[] first, byte[] second, byte scale)
    {
        // Counted first (the count leads the run), then written: reading twice costs less than
        // holding the entries in a second buffer, and the sinks are structs, so no call per entry.
        var counter = new Counter();
        WalkStored(first, second, ref counter);
        var writer = new ColumnWriter();
        writer.WriteVarint((ulong)counter.Length);
        writer.WriteByte(scale);
        var entries = new EntryWriter(writer);
        WalkStored(first, second, ref entries);
        return writer.ToArray();
    }

    private static void WalkStored<TSink>(byte[] first, byte[] second, ref TSink sink)
        where TSink : struct, IStoredSink
    {
        var (a, b) = (new Cursor(first), new Cursor(second));
        var (hasA, hasB) = (a.MoveNextStored(), b.MoveNextStored());
        while (hasA || hasB)
        {
            if (hasA && (!hasB || a.Stored < b.Stored))
            {
                sink.Add(a.Stored, a.Count);
                hasA = a.MoveNextStored();
            }
            else if (!hasA || b.Stored < a.Stored)
            {
                sink.Add(b.Stored, b.Count);
                hasB = b.MoveNextStored();
            }
            else
            {
                sink.Add(a.Stored, a.Count + b.Count);
                (hasA, hasB) = (a.MoveNextStored(), b.MoveNextStored());
            }
        }
    }

    private interface IStoredSink
    {
        void Add(ulong stored, long count);
    }

    private struct Counter : IStoredSink
    {
        public int Length { get; private set; }

        public void Add(ulong stored, long count) => Length++;
    }

    private struct EntryWriter(ColumnWriter writer) : IStoredSink
    {
        private ulong _previous;
        private bool _started;

        public void Add(ulong stored, long count)
        {
            writer.WriteVarint(_started ? stored - _previous : stored);
            writer.WriteVarint((ulong)count);
            (_previous, _started) = (stored, true);
        }
    }

    private static void Walk(byte[] first, byte[] second, Action<double, long> visit)
    {
        var (a, b) = (new Cursor(first), new Cursor(second));
        var (hasA, hasB) = (a.MoveNext(), b.MoveNext());
        while (hasA || hasB)
        {
            if (hasA && (!hasB || a.Key < b.Key))
            {
                visit(a.Value, a.Count);
                hasA = a.MoveNext();
            }
            else if (!hasA || b.Key < a.Key)
            {
                visit(b.Value, b.Count);
                hasB = b.MoveNext();
            }
            else
            {
                visit(a.Value, a.Count + b.Count);
                (hasA, hasB) = (a.MoveNext(), b.MoveNext());
            }
        }
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
        var counts = new Writer(writer, Length, DecimalScale());
        for (var i = 0; i < Length; i++)
        {
            counts.Add(Values[i], Counts[i]);
        }
    }

    /// <summary>The counts as <see cref="Write"/> writes them, alone.</summary>
    public byte[] ToBytes()
    {
        var writer = new ColumnWriter();
        Write(writer);
        return writer.ToArray();
    }

    public static NumberCounts Read(ref ColumnReader reader)
    {
        var cursor = new Cursor(ref reader);
        var values = new double[cursor.Length];
        var counts = new long[cursor.Length];
        for (var i = 0; i < values.Length; i++)
        {
            cursor.MoveNext(ref reader);
            values[i] = cursor.Value;
            counts[i] = cursor.Count;
        }

        return new NumberCounts(values, counts, values.Length);
    }

    /// <summary>Writes the counts' length and scale, then each value (as a delta of its key) and count.</summary>
    private sealed class Writer
    {
        private readonly ColumnWriter _writer;
        private readonly byte _scale;
        private ulong _previous;
        private bool _started;

        public Writer(ColumnWriter writer, int length, byte scale)
        {
            _writer = writer;
            _scale = scale;
            writer.WriteVarint((ulong)length);
            writer.WriteByte(scale);
        }

        public void Add(double value, long count)
        {
            var key = _scale == RawBits ? NumberOrder.Key(value) : OrderKey((long)Math.Round(value * s_powersOfTen[_scale]));
            _writer.WriteVarint(_started ? key - _previous : key);
            _writer.WriteVarint((ulong)count);
            (_previous, _started) = (key, true);
        }
    }

    /// <summary>Reads written counts one value at a time (<see cref="Key"/> orders values as numbers, -0.0 before 0.0).</summary>
    private sealed class Cursor
    {
        private readonly byte[]? _run;
        private int _at;
        private int _left;
        private ulong _stored;

        public Cursor(byte[] run)
        {
            _run = run;
            var reader = new ColumnReader(run);
            Init(ref reader);
        }

        public Cursor(ref ColumnReader reader) => Init(ref reader);

        public int Length { get; private set; }

        public byte Scale { get; private set; }

        public ulong Key { get; private set; }

        public double Value { get; private set; }

        public long Count { get; private set; }

        public bool MoveNext()
        {
            var reader = new ColumnReader(_run, _at);
            var moved = MoveNext(ref reader);
            _at = reader.Position;
            return moved;
        }

        /// <summary>The current value's key as written: it orders the values of one scale as numbers.</summary>
        public ulong Stored => _stored;

        public bool MoveNext(ref ColumnReader reader)
        {
            if (!Step(ref reader))
            {
                return false;
            }

            Value = Scale == RawBits ? NumberOrder.FromKey(_stored) : FromOrderKey(_stored) / s_powersOfTen[Scale];
            Key = NumberOrder.Key(Value);
            return true;
        }

        /// <summary>Moves to the next value without decoding it (<see cref="Stored"/> and <see cref="Count"/> only).</summary>
        public bool MoveNextStored()
        {
            var reader = new ColumnReader(_run, _at);
            var moved = Step(ref reader);
            _at = reader.Position;
            return moved;
        }

        private bool Step(ref ColumnReader reader)
        {
            if (_left == 0)
            {
                return false;
            }

            _stored = _left == Length ? reader.ReadVarint() : _stored + reader.ReadVarint();
            Count = (long)reader.ReadVarint();
            _left--;
            return true;
        }

        private void Init(ref ColumnReader reader)
        {
            Length = checked((int)reader.ReadVarint());
            Scale = reader.ReadByte();
            if (Scale != RawBits && Scale >= s_powersOfTen.Length)
            {
                throw new InvalidDataException($"A stored column's numbers have an unknown scale {Scale}.");
            }

            _left = Length;
            _at = reader.Position;
        }
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
