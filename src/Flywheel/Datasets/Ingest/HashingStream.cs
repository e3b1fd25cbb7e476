using System.Security.Cryptography;

namespace Flywheel.Datasets.Ingest;

/// <summary>
/// A read-only pass-through that hashes every byte read and copies it to an optional sink (the
/// staging blob), so parsing, hashing and storing share one read of the source. It also enforces
/// the size limit while reading, so an oversized body is refused without being buffered.
/// </summary>
public sealed class HashingStream(Stream source, Stream? sink, long maxBytes) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ReadOnlyMemory<byte> _peeked;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    /// <summary>Reads whatever the parser left unread, so the hash and the stored copy cover the whole file.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>The lowercase hex SHA-256 of everything read.</summary>
    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Reads up to <paramref name="count"/> bytes ahead (to sniff the format); later reads return them again.</summary>
    public async Task<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        var head = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await ReadAsync(head.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _peeked = head.AsMemory(0, read);
        return _peeked;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_peeked.IsEmpty)
        {
            var replay = Math.Min(buffer.Length, _peeked.Length);
            _peeked[..replay].CopyTo(buffer);
            _peeked = _peeked[replay..];
            return replay;
        }

        var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Consume(buffer.Span[..read]);
        if (sink is not null && read > 0)
        {
            await sink.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Consume(ReadOnlySpan<byte> bytes)
    {
        BytesRead += bytes.Length;
        if (BytesRead > maxBytes)
        {
            throw new DatasetTooLargeException(maxBytes);
        }

        _hash.AppendData(bytes);
    }
}

public sealed class DatasetTooLargeException(long maxBytes)
    : Exception($"The file is larger than the configured limit of {maxBytes:N0} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
