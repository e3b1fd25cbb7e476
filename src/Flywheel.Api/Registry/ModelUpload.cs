using System.Text.Json;
using Flywheel.Api.Serving;
using Flywheel.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Flywheel.Api.Registry;

/// <summary>
/// Reads a model upload: the raw ONNX bytes as the body, or a multipart form with the file and a
/// JSON part (<c>metadata</c>) holding a <see cref="ModelRegistration"/>. Never reads more than the limit
/// (<see cref="RequestBody.TooLargeException"/> above it).
/// </summary>
public static class ModelUpload
{
    public const string MetadataPart = "metadata";

    public sealed class InvalidUploadException(string message) : Exception(message);

    public static async Task<(byte[] Model, ModelRegistration Registration)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (await RequestBody.ReadAsync(request.Body, maxBytes, cancellationToken, request.ContentLength).ConfigureAwait(false), ModelRegistration.Empty);
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value
            ?? throw new InvalidUploadException("The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, request.Body);
        byte[]? model = null;
        var registration = ModelRegistration.Empty;
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            if (disposition.Name.Value == MetadataPart)
            {
                try
                {
                    registration = await JsonSerializer.DeserializeAsync<ModelRegistration>(section.Body, Json.Options, cancellationToken).ConfigureAwait(false)
                        ?? ModelRegistration.Empty;
                }
                catch (JsonException ex)
                {
                    throw new InvalidUploadException($"The '{MetadataPart}' part is not valid JSON for a registration at {ex.Path ?? "$"}: {ex.Message}");
                }
            }
            else if (disposition.IsFileDisposition() || disposition.Name.Value == "file")
            {
                model = await RequestBody.ReadAsync(section.Body, maxBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        return (model ?? throw new InvalidUploadException("The multipart body has no file part (name it 'file')."), registration);
    }
}
