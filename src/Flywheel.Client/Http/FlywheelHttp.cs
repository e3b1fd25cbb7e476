using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Flywheel.Contracts;

namespace Flywheel.Client.Http;

/// <summary>
/// Every call's way to the app: the key, token and caller headers, JSON written and read with the contract's options,
/// an error answer raised as <see cref="FlywheelRequestException"/>, and lists read a page at a time.
/// </summary>
internal sealed class FlywheelHttp(HttpClient http, FlywheelClientOptions options)
{
    /// <summary>The header the Functions host reads a function key from.</summary>
    public const string FunctionKeyHeader = "x-functions-key";

    public static JsonSerializerOptions Json { get; } = FlywheelJson.CreateOptions();

    public FlywheelClientOptions Options => options;

    public async Task<T> GetAsync<T>(ApiPath path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one resource, or null when the app answers 404.</summary>
    public async Task<T?> FindAsync<T>(ApiPath path, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await GetAsync<T>(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FlywheelRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<T> SendJsonAsync<T>(HttpMethod method, ApiPath path, object? body, CancellationToken cancellationToken)
    {
        using var content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Json);
        using var response = await SendRawAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(HttpMethod method, ApiPath path, object? body, CancellationToken cancellationToken)
    {
        using var content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Json);
        using var response = await SendRawAsync(method, path, content, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetTextAsync(ApiPath path, string accept, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, null, cancellationToken, accept).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request and returns the answer when it is a success; else raises it. Headers are read before the body.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, ApiPath path, HttpContent? content, CancellationToken cancellationToken,
        string? accept = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(options.Endpoint, path.ToString())) { Content = content };
        request.Headers.Accept.ParseAdd(accept ?? "application/json");
        if (options.Key is { Length: > 0 } key)
        {
            request.Headers.TryAddWithoutValidation(FunctionKeyHeader, key);
            request.Headers.TryAddWithoutValidation(WireHeaders.ApiKey, key);
        }

        if (options.TokenProvider is { } tokens)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens(cancellationToken).ConfigureAwait(false));
        }

        if (options.User is { Length: > 0 } user)
        {
            request.Headers.TryAddWithoutValidation(WireHeaders.User, user);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every item of a paged list, reading the next page only when the caller gets there.</summary>
    public IAsyncEnumerable<T> PagesAsync<T>(ApiPath path, int? pageSize, CancellationToken cancellationToken) =>
        PagesAsync<Page<T>, T>(path, pageSize, page => (page.Items, page.ContinuationToken), cancellationToken);

    /// <summary>Every item of a paged answer whose items and token sit elsewhere than in a <see cref="Page{T}"/> (a model's versions).</summary>
    public async IAsyncEnumerable<T> PagesAsync<TPage, T>(ApiPath path, int? pageSize, Func<TPage, (IReadOnlyList<T> Items, string? Token)> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var (items, next) = read(await GetAsync<TPage>(path.With(("pageSize", pageSize?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continuationToken", token)),
                cancellationToken).ConfigureAwait(false));
            foreach (var item in items)
            {
                yield return item;
            }

            token = next;
        }
        while (token is not null);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelRequestException($"The app answered {(int)response.StatusCode} with an empty body where JSON was expected.");
}
