using System.Text.Json;
using Flywheel.Contracts;

namespace Flywheel.Client.Http;

/// <summary>Reads an error answer: problem+json, the Open Inference Protocol's <c>{"error"}</c>, or whatever else came back.</summary>
internal static class ProblemReader
{
    private const int MaxBodyChars = 4_096;
    private static readonly HashSet<string> s_members = new(StringComparer.Ordinal) { "type", "title", "status", "detail", "instance" };

    public static async Task<FlywheelRequestException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var requestId = response.Headers.TryGetValues(WireHeaders.RequestId, out var ids) ? ids.FirstOrDefault() : null;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && !root.TryGetProperty("title", out _))
                {
                    return new FlywheelRequestException(response.StatusCode, null, response.ReasonPhrase, error.GetString(), new Dictionary<string, JsonElement>(), requestId);
                }

                var extensions = root.EnumerateObject().Where(p => !s_members.Contains(p.Name))
                    .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
                return new FlywheelRequestException(response.StatusCode, Text(root, "type"), Text(root, "title") ?? response.ReasonPhrase, Text(root, "detail"), extensions, requestId);
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's or the host's own page. Its text is still the best detail there is.
        }

        var detail = body.Length > MaxBodyChars ? body[..MaxBodyChars] : body;
        return new FlywheelRequestException(response.StatusCode, null, response.ReasonPhrase, detail.Trim() is { Length: > 0 } d ? d : null, new Dictionary<string, JsonElement>(), requestId);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
