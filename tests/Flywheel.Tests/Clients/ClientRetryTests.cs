using System.Net;
using Flywheel.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Clients;

/// <summary>The retry pipeline <c>AddFlywheelClient</c> registers, in front of a LocalHost that answers through a failing first hop.</summary>
public sealed class ClientRetryTests
{
    [Fact]
    public async Task A_503_with_retry_after_is_retried_for_a_put_upload()
    {
        await using var app = new FlywheelApp();
        var hop = new FailingHop(app, HttpStatusCode.ServiceUnavailable, failures: 1, retryAfter: TimeSpan.FromSeconds(1));
        using var provider = Provider(app, hop);
        var client = provider.GetRequiredService<FlywheelClient>();

        var version = await client.Datasets.PushAsync("retried", new MemoryStream("x,y\n1,2\n"u8.ToArray()));

        Assert.Equal(1, version.Version);
        Assert.Equal(1L, version.Rows);
        Assert.Equal(2, hop.Attempts);
    }

    [Fact]
    public async Task A_429_is_retried_even_for_a_post_but_a_503_is_not_since_the_app_may_have_acted()
    {
        await using var app = new FlywheelApp();
        var busy = new FailingHop(app, HttpStatusCode.TooManyRequests, failures: 1, retryAfter: TimeSpan.FromMilliseconds(100));
        using var provider = Provider(app, busy);
        var client = provider.GetRequiredService<FlywheelClient>();

        var refused = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Training.StartAsync(new() { Model = "m", Dataset = "no-such-data", Label = "y" }));
        // The second attempt reached the app, which answered about the request itself.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal(2, busy.Attempts);

        var down = new FailingHop(app, HttpStatusCode.ServiceUnavailable, failures: 1, retryAfter: TimeSpan.FromMilliseconds(100));
        using var downProvider = Provider(app, down);
        var unavailable = await Assert.ThrowsAsync<FlywheelRequestException>(() => downProvider.GetRequiredService<FlywheelClient>().Training.StartAsync(new() { Model = "m", Dataset = "d", Label = "y" }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.Status);
        Assert.Equal(1, down.Attempts);
    }

    [Fact]
    public async Task A_redirect_is_an_error_not_a_success_and_is_not_followed()
    {
        await using var app = new FlywheelApp();
        var hop = new FailingHop(app, HttpStatusCode.Found, failures: 1, retryAfter: null);
        using var provider = Provider(app, hop);
        var client = provider.GetRequiredService<FlywheelClient>();

        var error = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Models.DeleteAliasAsync("iris", "champion"));

        Assert.Equal(HttpStatusCode.Found, error.Status);
        Assert.Equal(1, hop.Attempts);
    }

    [Fact]
    public async Task A_500_is_retried_for_a_get_but_not_for_a_post_that_may_have_acted()
    {
        await using var app = new FlywheelApp();
        var hop = new FailingHop(app, HttpStatusCode.InternalServerError, failures: 1, retryAfter: null);
        using var provider = Provider(app, hop);
        var client = provider.GetRequiredService<FlywheelClient>();

        await client.GetHealthAsync();
        Assert.Equal(2, hop.Attempts);

        hop.Reset(failures: 1);
        var error = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Training.StartAsync(new() { Model = "m", Dataset = "d", Label = "y" }));
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal(1, hop.Attempts);
    }

    [Fact]
    public async Task Retries_stop_at_the_limit_and_raise_the_last_answer()
    {
        await using var app = new FlywheelApp();
        var hop = new FailingHop(app, HttpStatusCode.ServiceUnavailable, failures: 100, retryAfter: null);
        using var provider = Provider(app, hop, maxRetries: 2);
        var client = provider.GetRequiredService<FlywheelClient>();

        var error = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.GetHealthAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal(3, hop.Attempts);
    }

    private static ServiceProvider Provider(FlywheelApp app, FailingHop hop, int maxRetries = 4)
    {
        var services = new ServiceCollection();
        services.AddFlywheelClient(o =>
        {
            o.Endpoint = app.Server.BaseAddress;
            o.MaxRetries = maxRetries;
            o.RetryDelay = TimeSpan.FromMilliseconds(20);
        }).ConfigurePrimaryHttpMessageHandler(() => hop);
        return services.BuildServiceProvider();
    }

    /// <summary>Answers the first requests with an error, then passes every request to the app.</summary>
    private sealed class FailingHop(FlywheelApp app, HttpStatusCode status, int failures, TimeSpan? retryAfter) : DelegatingHandler(app.Server.CreateHandler())
    {
        private int _failures = failures;
        private int _attempts;

        public int Attempts => _attempts;

        public void Reset(int failures)
        {
            _failures = failures;
            _attempts = 0;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (Interlocked.Decrement(ref _failures) >= 0)
            {
                var failed = new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent("""{"title":"busy","status":503}""") };
                if (retryAfter is { } wait)
                {
                    failed.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
                }

                return failed;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
