using System.Buffers;

namespace Flywheel.Datasets.Columns;

/// <summary>Writes a stored column: bytes and LEB128 varints into a growing buffer.</summary>
internal sealed class ColumnWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4_096);

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        _buffer.Advance(n);
    }

    /// <summary>Bytes with their length before them.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((ulong)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>Bytes as they are (a magic number, a part already written).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

/// <summary>Reads what <see cref="ColumnWriter"/> wrote; a truncated or corrupt column is an <see cref="InvalidDataException"/>.</summary>
internal ref struct ColumnReader(ReadOnlySpan<byte> bytes, int position = 0)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at = position;

    public readonly int Position => _at;

    public readonly bool End => _at == _bytes.Length;

    public readonly int Remaining => _bytes.Length - _at;

    public byte ReadByte() => _at < _bytes.Length ? _bytes[_at++] : throw Truncated();

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A stored column has a varint longer than 64 bits.");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_bytes.Length - _at))
        {
            throw Truncated();
        }

        var bytes = _bytes.Slice(_at, (int)length);
        _at += (int)length;
        return bytes;
    }

    private static InvalidDataException Truncated() => new("A stored column ends early.");
}
