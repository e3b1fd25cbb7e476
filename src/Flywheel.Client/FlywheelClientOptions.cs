namespace Flywheel.Client;

/// <summary>Where Flywheel runs, how to authenticate, and how patient to be with it.</summary>
public sealed class FlywheelClientOptions
{
    /// <summary>What <see cref="Endpoint"/> is when nothing sets it: the local app started by <c>scripts/dev.sh</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("http://localhost:7071/");

    /// <summary>The app's base address, such as <c>https://flywheel-abc.azurewebsites.net/</c>.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// The key: a function key in Azure (sent as <c>x-functions-key</c>), or the API key a local app was started with
    /// (sent as <c>X-Api-Key</c>). Both headers carry it, so one setting works against either host.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>A bearer token for each request (Entra ID in front of the app); called per request so it can refresh.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>Who the caller is, recorded in the model history where the app trusts the header (locally).</summary>
    public string? User { get; set; }

    /// <summary>How long one attempt may take. Uploads and downloads of large files need more than the default.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How many times a request is retried. A 429 is retried whatever the method (the app turned the request away), after
    /// the <c>Retry-After</c> it names; a 503 (after its <c>Retry-After</c>), a timeout, a dropped connection or another
    /// 5xx only for GET, HEAD, PUT and DELETE, which do the same thing twice.
    /// </summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first wait between attempts when the answer names none; it doubles with jitter after each.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a long operation's status is read while waiting for it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (!Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The endpoint must be an absolute http or https address, not '{Endpoint}'.", nameof(Endpoint));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(RetryDelay.Ticks);
    }
}
