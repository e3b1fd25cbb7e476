using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Requests;

/// <summary>
/// The one way a JSON request body becomes a record: read within a size limit, checked to be
/// UTF-8, checked against the record's shape (<see cref="JsonShape"/>), then bound with
/// <see cref="Json.Requests"/>. Every mistake is a 400 (<see cref="ErrorKind.InvalidInput"/>)
/// whose message names where it is and what was expected, under the caller's problem
/// <c>code</c>, with an example of a valid body.
/// </summary>
public static class RequestJson
{
    /// <summary>The default limit for bodies that configure things (contracts, deployments, metadata).</summary>
    public const long MaxSettingsBytes = 8 << 20;

    public static async Task<T> ReadAsync<T>(HttpRequest request, string code, string example, CancellationToken cancellationToken, long maxBytes = MaxSettingsBytes) =>
        Bind<T>(await RequestBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false), code, example, "The body");

    /// <summary>Binds <paramref name="bytes"/> (a body or a multipart section, named by <paramref name="what"/>).</summary>
    public static T Bind<T>(ReadOnlyMemory<byte> bytes, string code, string example, string what)
    {
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Invalid(code, $"{what} is empty; send for example {example}");
        }

        using var document = Parse(bytes, code, what);
        if (JsonShape.Check(document.RootElement, typeof(T), Json.Requests) is { Count: > 0 } errors)
        {
            throw Invalid(code, $"{what} does not fit: {string.Join("; ", errors)}. For example: {example}");
        }

        try
        {
            return document.RootElement.Deserialize<T>(Json.Requests) ?? throw Invalid(code, $"{what} must be an object, for example {example}");
        }
        catch (JsonException ex)
        {
            // The shape check passed, so this is a value a converter refused; its message has no type names.
            throw Invalid(code, $"{what} does not fit at {ex.Path ?? "$"}. For example: {example}");
        }
    }

    /// <summary>Parses a body that is read as a document (predictions and inference on their general paths, events), with the same UTF-8 and syntax reports.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> bytes, string code = ProblemTypes.InvalidJson, string what = "The body")
    {
        if (InvalidUtf8At(bytes.Span) is { } offset)
        {
            throw Invalid(code, $"{what} is not valid UTF-8 at byte {offset:N0}: JSON text must be UTF-8 (a string value or key holds bytes that are not).");
        }

        try
        {
            // A key twice in one object is refused: binders take the last, readers the first, so either answer would guess.
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw Invalid(code, DuplicateKey(bytes) is { } key
                ? $"{what} has the key \"{key.Name}\" twice in the object at {key.Path}: send each key once."
                : $"{what} is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1} of that line.");
        }
    }

    /// <summary>The first key repeated within one object, when the body is otherwise valid JSON; read again only on the error path, to name it.</summary>
    private static (string Name, string Path)? DuplicateKey(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            return DuplicateKey(document.RootElement, "$");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string Name, string Path)? DuplicateKey(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (DuplicateKey(item, $"{path}[{index++}]") is { } found)
                {
                    return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    return (property.Name, path);
                }

                if (DuplicateKey(property.Value, $"{path}.{property.Name}") is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null when all of it is.</summary>
    public static long? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return null;
    }

    private static FlywheelException Invalid(string code, string message) => new(ErrorKind.InvalidInput, code, message);
}
