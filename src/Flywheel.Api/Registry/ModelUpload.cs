using Flywheel.Api.Requests;
using Flywheel.Contracts.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Flywheel.Api.Registry;

/// <summary>
/// Reads a model upload: the raw ONNX bytes as the body, or a multipart form with the file and a
/// JSON part (<c>metadata</c>) holding a <see cref="ModelRegistration"/>. Never reads more than the limit
/// (<see cref="Errors.TooLargeException"/> above it).
/// </summary>
public static class ModelUpload
{
    public const string MetadataPart = "metadata";

    private const string MetadataExample = """{"description": "...", "tags": {"team": "risk"}, "metrics": {"auc": 0.87}, "dataset": {"name": "titanic", "version": 1}, "runId": "run-42", "featureNames": ["age", "fare"]}""";

    public sealed class InvalidUploadException(string message) : Exception(message);

    public static async Task<(byte[] Model, ModelRegistration Registration)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (await RequestBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false), ModelRegistration.Empty);
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value
            ?? throw new InvalidUploadException("The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, request.Body);
        byte[]? model = null;
        var registration = ModelRegistration.Empty;
        var sawMetadata = false;
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            if (disposition.Name.Value == MetadataPart)
            {
                if (sawMetadata)
                {
                    throw new InvalidUploadException($"The multipart body has more than one '{MetadataPart}' part: send one.");
                }

                sawMetadata = true;
                var json = await RequestBody.ReadAsync(section.Body, RequestJson.MaxSettingsBytes, cancellationToken).ConfigureAwait(false);
                registration = RequestJson.Bind<ModelRegistration>(json, ProblemTypes.InvalidUpload, MetadataExample, $"The '{MetadataPart}' part");
            }
            else if (disposition.IsFileDisposition() || disposition.Name.Value == "file")
            {
                if (model is not null)
                {
                    throw new InvalidUploadException("The multipart body has more than one file part: send one model per registration.");
                }

                model = await RequestBody.ReadAsync(section.Body, maxBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        return (model ?? throw new InvalidUploadException("The multipart body has no file part (name it 'file')."), registration);
    }
}
