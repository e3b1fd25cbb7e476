namespace Flywheel.Client.Http;

/// <summary>Copies a download's body into the caller's stream as it arrives, reporting the bytes read.</summary>
internal static class Transfers
{
    public static async Task CopyAsync(HttpResponseMessage response, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var total = response.Content.Headers.ContentLength;
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = new byte[81_920];
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
}
