using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Flywheel.EndToEnd.Tests.Hosts;

/// <summary>
/// A body in the form two hosts must agree on: what only says when or where it was made (times,
/// generated ids, trace ids, the host's own address, durations) becomes a placeholder; everything
/// else (statuses, names, versions, hashes, metrics, predictions, messages) is kept as it is.
/// </summary>
public static partial class Normalized
{
    public static string Body(Reply reply, Uri baseAddress)
    {
        if (reply.Body.Length == 0)
        {
            return "(empty)";
        }

        switch (reply.MediaType)
        {
            case "application/json" or "application/problem+json":
                var node = JsonNode.Parse(reply.Body);
                return $"{reply.MediaType} {Node(node, null, baseAddress)?.ToJsonString() ?? "null"}";
            case "text/html":
                var title = Title().Match(reply.Text);
                return $"text/html <title>{(title.Success ? Text(title.Groups[1].Value, baseAddress) : "(none)")}</title>";
            case "text/csv" or "text/plain" or "text/markdown":
                return $"{reply.MediaType} {Text(reply.Text, baseAddress)}";
            default:
                return $"{reply.MediaType} {reply.Body.Length} bytes sha256:{Convert.ToHexStringLower(SHA256.HashData(reply.Body))[..16]}";
        }
    }

    public static string Text(string text, Uri baseAddress)
    {
        text = text.Replace(baseAddress.ToString().TrimEnd('/'), "<base>", StringComparison.Ordinal);
        text = IsoTime().Replace(text, "<time>");
        text = CompactTime().Replace(text, "<time>");
        text = ReportSuffix().Replace(text, "<time>-<id>");
        text = Guid().Replace(text, "<id>");
        return Hex32().Replace(text, "<id>");
    }

    private static JsonNode? Node(JsonNode? node, string? name, Uri baseAddress)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    // The serving signal is what each host has flushed so far (every few seconds): when, not what.
                    if (key != VolatileSignal)
                    {
                        copy[key] = Node(value, key, baseAddress);
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Node(item, name, baseAddress))]);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return IsTraceId(name) ? "<trace>" : JsonValue.Create(Text(value.GetValue<string>(), baseAddress));
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && IsDuration(name):
                return "<duration>";
            default:
                return node?.DeepClone();
        }
    }

    private const string VolatileSignal = "signal";

    // How long something took differs run to run on any host; the rest of a number is the product's answer.
    private static bool IsDuration(string? name) => name is not null && Duration().IsMatch(name);

    private static bool IsTraceId(string? name) => name is "traceId" or "spanId" or "traceparent";

    [GeneratedRegex(@"(?i)(ms|millis|milliseconds|seconds|secs|duration|elapsed|latency|p50|p90|p95|p99)$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")]
    private static partial Regex IsoTime();

    // A report's id is its window end and a random suffix.
    [GeneratedRegex(@"<time>-[0-9a-f]{4}\b")]
    private static partial Regex ReportSuffix();

    [GeneratedRegex(@"\d{8}T\d{6}Z")]
    private static partial Regex CompactTime();

    [GeneratedRegex(@"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\b[0-9a-f]{32}\b")]
    private static partial Regex Hex32();

    [GeneratedRegex(@"<title>(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex Title();
}
