using Flywheel.Client.Datasets;
using Flywheel.Client.Http;
using Flywheel.Client.Models;
using Flywheel.Client.Monitoring;
using Flywheel.Client.Pipelines;
using Flywheel.Client.Retraining;
using Flywheel.Client.Serving;
using Flywheel.Client.Training;
using Flywheel.Contracts;
using Flywheel.Contracts.Health;

namespace Flywheel.Client;

/// <summary>
/// Flywheel's HTTP API, typed: one sub-client per capability, over one <see cref="HttpClient"/> that retries what is
/// safe to retry. Every method takes a <see cref="CancellationToken"/>; lists are <see cref="IAsyncEnumerable{T}"/> that
/// read the next page only when the caller gets there; pipelines come back as operations to wait for; every error
/// answer is a <see cref="FlywheelRequestException"/>.
/// </summary>
public sealed class FlywheelClient : IDisposable
{
    private readonly HttpClient? _owned;
    private readonly FlywheelHttp _http;

    /// <summary>A client for the app at <paramref name="endpoint"/>, with a key when it needs one.</summary>
    public FlywheelClient(Uri endpoint, string? key = null)
        : this(new FlywheelClientOptions { Endpoint = endpoint, Key = key })
    {
    }

    /// <summary>A client with its own connection pool and the retry pipeline of <paramref name="options"/>.</summary>
    public FlywheelClient(FlywheelClientOptions options)
        : this(Own(options), owned: true, options, TimeProvider.System)
    {
    }

    /// <summary>
    /// A client over an <see cref="HttpClient"/> someone else made (<c>AddFlywheelClient</c> with <c>IHttpClientFactory</c>, or a
    /// test server): its handlers are used as they are, so retries are theirs to add.
    /// </summary>
    public FlywheelClient(HttpClient http, FlywheelClientOptions options, TimeProvider? time = null)
        : this(http, owned: false, options, time ?? TimeProvider.System)
    {
    }

    private FlywheelClient(HttpClient http, bool owned, FlywheelClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _owned = owned ? http : null;
        _http = new FlywheelHttp(http, options);
        Pipelines = new PipelinesClient(_http, time);
        Datasets = new DatasetsClient(_http);
        Models = new ModelsClient(_http);
        Serving = new ServingClient(_http);
        Training = new TrainingClient(_http, Pipelines);
        Runs = new RunsClient(_http);
        Monitoring = new MonitoringClient(_http);
        Retraining = new RetrainingClient(_http, Pipelines);
    }

    public DatasetsClient Datasets { get; }

    public ModelsClient Models { get; }

    public ServingClient Serving { get; }

    public TrainingClient Training { get; }

    public PipelinesClient Pipelines { get; }

    public RunsClient Runs { get; }

    public MonitoringClient Monitoring { get; }

    public RetrainingClient Retraining { get; }

    public FlywheelClientOptions Options => _http.Options;

    /// <summary>Whether the app and its storage answer, with its version.</summary>
    public Task<HealthResponse> GetHealthAsync(CancellationToken cancellationToken = default) =>
        _http.GetAsync<HealthResponse>(ApiPath.Of(Routes.Health), cancellationToken);

    public void Dispose() => _owned?.Dispose();

    /// <summary>
    /// The connection handler: redirects are answers, not followed. A followed redirect (a sign-in page in front of an
    /// unprotected path) would read as a success that did nothing, and would carry the key to wherever it points.
    /// </summary>
    internal static SocketsHttpHandler NoRedirects() => new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    private static HttpClient Own(FlywheelClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // The pipeline times each attempt; HttpClient's own timeout would cut across retries and their waits.
        return new HttpClient(RetryHandler.Create(options, NoRedirects()))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
