using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Flywheel.Datasets.Ingest;

/// <summary>
/// A read-only pass-through that hashes every byte read and copies it to an optional sink (the
/// staging blob), so parsing, hashing and storing share one read of the source. It also enforces
/// the size limit while reading, so an oversized body is refused without being buffered.
/// Hashing runs on a second thread behind a small bounded queue: on a multi-core machine SHA-256
/// then costs the parser nothing, and memory stays at a few buffers whatever the file size.
/// </summary>
public sealed class HashingStream : Stream
{
    private const int QueuedChunks = 8;
    private readonly Stream _source;
    private readonly Stream? _sink;
    private readonly long _maxBytes;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Channel<(byte[] Buffer, int Length)> _chunks =
        Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(QueuedChunks) { SingleReader = true, SingleWriter = true });
    private readonly Task _hashing;
    private ReadOnlyMemory<byte> _peeked;

    public HashingStream(Stream source, Stream? sink, long maxBytes)
    {
        _source = source;
        _sink = sink;
        _maxBytes = maxBytes;
        _hashing = Task.Run(HashChunksAsync);
    }

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

    /// <summary>The lowercase hex SHA-256 of everything read; call once, after the last read.</summary>
    public async Task<string> Sha256Async()
    {
        _chunks.Writer.TryComplete();
        await _hashing.ConfigureAwait(false);
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    private async Task HashChunksAsync()
    {
        await foreach (var (buffer, length) in _chunks.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _hash.AppendData(buffer, 0, length);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

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

        var read = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        await ConsumeAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        if (_sink is not null && read > 0)
        {
            await _sink.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
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
            _chunks.Writer.TryComplete();
            _hashing.GetAwaiter().GetResult();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask ConsumeAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        BytesRead += bytes.Length;
        if (BytesRead > _maxBytes)
        {
            throw new Errors.TooLargeException(_maxBytes);
        }

        var copy = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(copy);
        await _chunks.Writer.WriteAsync((copy, bytes.Length), cancellationToken).ConfigureAwait(false);
    }
}
