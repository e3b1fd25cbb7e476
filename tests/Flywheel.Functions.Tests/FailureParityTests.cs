using System.Text;
using System.Text.Json;
using Flywheel.Contracts.Errors;
using Flywheel.Errors;
using Flywheel.Functions.Hosting;
using Flywheel.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flywheel.Functions.Tests;

public sealed class FailureParityTests
{
    public static TheoryData<string, Exception, int> Failures() => new()
    {
        { "/api/models/iris/predict", new PredictionInputException("Column 'age' is missing."), 400 },
        { "/api/models/ghost", new ModelNotFoundException("Model 'ghost' is not registered."), 404 },
        { "/api/datasets/x", new TooLargeException(1024), 413 },
        { "/api/pipelines/x", new FlywheelException(ErrorKind.Conflict, "not-running", "Pipeline 'x' is Completed."), 409 },
        { "/api/datasets", new Azure.RequestFailedException(0, "Connection refused"), 503 },
        { "/api/models", new InvalidOperationException("a bug with internals"), 500 },
        { "/v2/models/iris/infer", new PredictionInputException("Input 'x': expected a number."), 400 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task The_same_failure_gives_the_same_status_headers_and_body_from_both_hosts(string path, Exception failure, int status)
    {
        var local = await LocalHostAsync(path, failure);
        var functions = await FunctionsAsync(path, failure);

        Assert.Equal(status, local.Status);
        Assert.Equal(local.Status, functions.Status);
        Assert.Equal(local.ContentType, functions.ContentType);
        Assert.Equal(local.RetryAfter, functions.RetryAfter);
        Assert.Equal(local.Body, functions.Body);
        Assert.DoesNotContain("internals", local.Body, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(local.Body);
        Assert.True(body.RootElement.TryGetProperty(path.StartsWith("/v2", StringComparison.Ordinal) ? "error" : "detail", out _));
    }

    private static async Task<Answer> LocalHostAsync(string path, Exception failure)
    {
        await using var services = Services();
        var app = new ApplicationBuilder(services);
        app.UseFlywheelFailures();
        app.Run(_ => throw failure);
        var context = Context(services, path);
        await app.Build()(context);
        return await Answer.ReadAsync(context);
    }

    private static async Task<Answer> FunctionsAsync(string path, Exception failure)
    {
        await using var services = Services();
        var context = Context(services, path);
        var function = new FakeFunctionContext(services);
        function.Items["HttpRequestContext"] = context;
        await new FailureMiddleware(NullLogger<FailureMiddleware>.Instance).Invoke(function, _ => throw failure);
        return await Answer.ReadAsync(context);
    }

    private static ServiceProvider Services() => new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    private static DefaultHttpContext Context(IServiceProvider services, string path)
    {
        var context = new DefaultHttpContext { RequestServices = services, TraceIdentifier = "trace-1" };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private sealed record Answer(int Status, string? ContentType, string? RetryAfter, string Body)
    {
        public static Task<Answer> ReadAsync(HttpContext context)
        {
            context.Response.Body.Position = 0;
            var body = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
            return Task.FromResult(new Answer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.RetryAfter.ToString(), body));
        }
    }
}
