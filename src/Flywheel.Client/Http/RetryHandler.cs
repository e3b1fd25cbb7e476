using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Flywheel.Client.Http;

/// <summary>
/// The retry and timeout pipeline every request goes through: a per-attempt timeout inside retries that wait as long
/// as a 429 or 503's <c>Retry-After</c> says. Only a 429 means the app turned the request away before acting on it, so
/// only a 429 is retried whatever the method. A 503 can come after a write went through (the app answers 503 for a
/// storage fault at any point of a handler), as can a timeout, a dropped connection or another 5xx, so those are
/// retried only for a method that does the same thing twice: a second POST could start a second training.
/// </summary>
internal static class RetryHandler
{
    public static ResiliencePipeline<HttpResponseMessage> Pipeline(FlywheelClientOptions options) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(Retry(options))
            .AddTimeout(options.AttemptTimeout)
            .Build();

    public static DelegatingHandler Create(FlywheelClientOptions options, HttpMessageHandler inner) => new ResilienceHandler(Pipeline(options)) { InnerHandler = inner };

    /// <summary>The pipeline as a handler for <c>IHttpClientFactory</c>, which supplies the inner handler itself.</summary>
    public static DelegatingHandler CreateOuter(FlywheelClientOptions options) => new ResilienceHandler(Pipeline(options));

    private static HttpRetryStrategyOptions Retry(FlywheelClientOptions options) => new()
    {
        MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
        Delay = options.RetryDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        ShouldRetryAfterHeader = true,
        ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context.GetRequestMessage()?.Method)),
    };

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        if (outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        var repeatable = method is not null && (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete);
        return repeatable && (outcome.Exception is HttpRequestException or TimeoutRejectedException || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError });
    }
}
