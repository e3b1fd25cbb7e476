using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Flywheel.EndToEnd.Tests.Hosts;

/// <summary>An answer as a test reads it: status, media type, the body as bytes, text and (when JSON) a node.</summary>
public sealed record Reply(int Status, string? MediaType, byte[] Body, HttpResponseHeaders Headers)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The body is JSON null.");

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>
/// One scenario's calls against one host. Each call asserts its status (failing with the body and the
/// host's log tail) and is written to the transcript in a host-neutral form (see <see cref="Normalized"/>),
/// so the same scenario on both hosts must leave the same transcript.
/// </summary>
public sealed class Session(HostUnderTest host)
{
    private readonly List<string> _transcript = [];

    public HostUnderTest Host { get; } = host;

    public IReadOnlyList<string> Transcript => _transcript;

    public Task<Reply> GetAsync(string path, int expected) => SendAsync(HttpMethod.Get, path, null, expected);

    /// <summary>A GET whose status is compared but whose body is not: it holds what differs by timing or machine (an error's socket message).</summary>
    public Task<Reply> GetStatusAsync(string path, int expected) => SendAsync(HttpMethod.Get, path, null, expected, recordBody: false);

    public Task<Reply> DeleteAsync(string path, int expected) => SendAsync(HttpMethod.Delete, path, null, expected);

    public Task<Reply> PutJsonAsync(string path, string json, int expected) => SendAsync(HttpMethod.Put, path, Json(json), expected);

    public Task<Reply> PostJsonAsync(string path, string json, int expected) => SendAsync(HttpMethod.Post, path, Json(json), expected);

    public Task<Reply> PatchJsonAsync(string path, string json, int expected) => SendAsync(HttpMethod.Patch, path, Json(json), expected);

    public Task<Reply> PutBytesAsync(string path, byte[] bytes, int expected, string? fileName = null)
    {
        var content = new ByteArrayContent(bytes);
        if (fileName is not null)
        {
            content.Headers.Add("X-File-Name", fileName);
        }

        return SendAsync(HttpMethod.Put, path, content, expected);
    }

    public async Task<Reply> SendAsync(HttpMethod method, string path, HttpContent? content, int expected, IReadOnlyDictionary<string, string>? headers = null, bool recordBody = true)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        var reply = await ReadAsync(await Host.Client.SendAsync(request).ConfigureAwait(false)).ConfigureAwait(false);
        var line = $"{method} {Normalized.Text(path, Host.BaseAddress)} -> {reply.Status} {(recordBody ? Normalized.Body(reply, Host.BaseAddress) : "(body not compared)")}";
        _transcript.Add(line);
        if (reply.Status != expected)
        {
            throw new ScenarioException(Host, $"expected {expected}: {line}\n{reply.Text}");
        }

        return reply;
    }

    /// <summary>
    /// Polls a GET until <paramref name="done"/> holds. How many polls it takes differs, so only the last
    /// answer is written to the transcript, and its body only when it cannot depend on when the poll saw it.
    /// </summary>
    public async Task<Reply> PollAsync(string path, Func<Reply, bool> done, TimeSpan timeout, bool recordBody = true)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var reply = await ReadAsync(await Host.Client.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false)).ConfigureAwait(false);
            if (done(reply))
            {
                _transcript.Add($"POLL {Normalized.Text(path, Host.BaseAddress)} -> {reply.Status} {(recordBody ? Normalized.Body(reply, Host.BaseAddress) : "(body not compared)")}");
                return reply;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ScenarioException(Host, $"GET {path} did not reach the awaited state in {timeout.TotalSeconds:0} s; last answer {reply.Status} {reply.Text}");
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for a pipeline run to end and returns its status.</summary>
    public Task<Reply> WaitForRunAsync(string id, TimeSpan timeout) =>
        PollAsync($"api/pipelines/{id}", r => r.Status == 200 && r.Json["runtimeStatus"]?.GetValue<string>() is "Completed" or "Failed" or "Terminated", timeout);

    /// <summary>A note in the transcript, for a fact read another way than over HTTP.</summary>
    public void Note(string fact) => _transcript.Add($"NOTE {fact}");

    private static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return new Reply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false), response.Headers);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

public sealed class ScenarioException(HostUnderTest host, string message, Exception? inner = null)
    : Exception($"[{host.Kind}] {message}\n--- {host.Kind} log (tail) ---\n{host.OutputTail()}", inner);
