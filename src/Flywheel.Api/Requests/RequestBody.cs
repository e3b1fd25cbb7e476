using System.Buffers;
using Flywheel.Errors;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Requests;

/// <summary>Reads request bodies (or multipart sections) without ever holding more than a limit.</summary>
public static class RequestBody
{
    private const int DefaultInitialBytes = 16 << 10;

    /// <summary>A request's whole body: refused at once when its Content-Length is over the limit, else read within it.</summary>
    /// <exception cref="TooLargeException">The body holds more than <paramref name="maxBytes"/>.</exception>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        using var pooled = await ReadPooledAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        return pooled.Memory.ToArray();
    }

    /// <summary>
    /// The whole stream as one exactly sized array. Reading goes through a pooled buffer (sized by
    /// <paramref name="expectedBytes"/> when the caller knows it): a fresh 80 KB chunk per request
    /// cost more in zeroing and garbage collection than scoring a small model.
    /// </summary>
    /// <exception cref="TooLargeException">The stream holds more than <paramref name="maxBytes"/>.</exception>
    public static async Task<byte[]> ReadAsync(Stream body, long maxBytes, CancellationToken cancellationToken, long? expectedBytes = null)
    {
        using var pooled = await ReadPooledAsync(body, maxBytes, cancellationToken, expectedBytes).ConfigureAwait(false);
        return pooled.Memory.ToArray();
    }

    /// <summary>
    /// A request's whole body in a pooled buffer (refused at once when its Content-Length is over the limit), without the copy <see cref="ReadAsync(HttpRequest, long, CancellationToken)"/>
    /// makes: for a caller done with the bytes before it disposes the lease (nothing it answers may keep them).
    /// </summary>
    /// <exception cref="TooLargeException">The body holds more than <paramref name="maxBytes"/>.</exception>
    public static ValueTask<PooledBody> ReadPooledAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            throw new TooLargeException(maxBytes);
        }

        return ReadPooledAsync(request.Body, maxBytes, cancellationToken, request.ContentLength);
    }

    // A ValueTask: a small body has usually arrived whole, and reading it then completes without a task.
    private static async ValueTask<PooledBody> ReadPooledAsync(Stream body, long maxBytes, CancellationToken cancellationToken, long? expectedBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        var initial = (int)Math.Clamp(expectedBytes is > 0 ? expectedBytes.Value + 1 : DefaultInitialBytes, 1, Math.Min(maxBytes + 1, Array.MaxLength));
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    throw new TooLargeException(maxBytes);
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Math.Min(maxBytes + 1, Array.MaxLength)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return new PooledBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>A body read into a pooled buffer; disposing returns the buffer to the pool, after which the bytes are another request's.</summary>
public sealed class PooledBody(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ReadOnlyMemory<byte> Memory => _buffer is { } bytes ? bytes.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledBody));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } bytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
