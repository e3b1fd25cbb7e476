namespace Flywheel.Client.Http;

/// <summary>Copies an upload or a download in chunks, reporting the bytes gone after each.</summary>
internal static class Transfers
{
    private const int ChunkBytes = 81_920;

    /// <summary>Copies a download's body into the caller's stream as it arrives.</summary>
    public static async Task CopyAsync(HttpResponseMessage response, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await CopyAsync(source, destination, response.Content.Headers.ContentLength, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task CopyAsync(Stream source, Stream destination, long? total, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        long copied = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            copied += read;
            progress?.Report(new TransferProgress(copied, total));
        }
    }
}
