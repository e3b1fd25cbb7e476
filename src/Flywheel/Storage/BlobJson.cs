using Azure;
using Azure.Storage.Blobs;

namespace Flywheel.Storage;

/// <summary>Side documents stored as JSON blobs next to the content they describe (profiles, signatures).</summary>
public static class BlobJson
{
    /// <summary>The blob's JSON read as <typeparamref name="T"/>; null when there is no such blob.</summary>
    public static async Task<T?> ReadAsync<T>(BlobClient blob, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(blob);
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<T>(Json.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
