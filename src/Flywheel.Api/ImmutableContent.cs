using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Flywheel.Api;

/// <summary>
/// Downloads of content-addressed blobs (dataset files, ONNX models): the SHA-256 is the ETag, so a
/// client holding it gets 304, and the bytes stream with range support.
/// </summary>
public static class ImmutableContent
{
    public static async Task<IResult> ResultAsync(HttpRequest request, BlobClient blob, string sha256, string contentType, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(blob);
        if (request.Headers.IfNoneMatch.ToString().Contains(sha256, StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return Results.Stream(stream, contentType, fileName, entityTag: new EntityTagHeaderValue($"\"{sha256}\""), enableRangeProcessing: true);
    }
}
