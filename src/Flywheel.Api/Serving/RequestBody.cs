using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Serving;

/// <summary>Reads request bodies (or multipart sections) without ever holding more than a limit.</summary>
public static class RequestBody
{
    public sealed class TooLargeException : Exception;

    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            throw new TooLargeException();
        }

        var bytes = await ReadAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(bytes);
    }

    /// <exception cref="TooLargeException">The stream holds more than <paramref name="maxBytes"/>.</exception>
    public static async Task<byte[]> ReadAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new TooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
