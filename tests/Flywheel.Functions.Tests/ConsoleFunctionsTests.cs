using Flywheel.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests;

/// <summary>The generated console functions serve the same embedded files as LocalHost, through the catch-all route.</summary>
public sealed class ConsoleFunctionsTests
{
    [Theory]
    [InlineData("/console/models/iris", "text/html; charset=utf-8", "<script type=\"module\" src=\"/console/app.js\">")]
    [InlineData("/console/app.js", "text/javascript; charset=utf-8", "import {")]
    [InlineData("/console/uPlot.iife.min.js", "text/javascript; charset=utf-8", "uPlot")]
    [InlineData("/console/console.css", "text/css; charset=utf-8", "--accent")]
    public async Task The_catch_all_function_answers_a_page_with_the_shell_and_a_file_with_its_type(string path, string type, string content)
    {
        await using var services = DatasetFunctionsTests.Services();

        var answer = await HttpInvocation.RunAsync(services, (f, r) => f.GetConsoleFile(r), "GET", path);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(type, answer.ContentType);
        Assert.Contains(content, answer.Body, StringComparison.Ordinal);
        Assert.Equal("no-cache", answer.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task The_start_page_is_the_shell_and_an_unknown_file_is_404()
    {
        await using var services = DatasetFunctionsTests.Services();

        var start = await HttpInvocation.RunAsync(services, (f, r) => f.GetConsole(r), "GET", "/console");
        var missing = await HttpInvocation.RunAsync(services, (f, r) => f.GetConsoleFile(r), "GET", "/console/nothing.js");

        Assert.Equal(StatusCodes.Status200OK, start.Status);
        Assert.Contains("<title>Flywheel console</title>", start.Body, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status404NotFound, missing.Status);
    }

    [Fact]
    public async Task A_request_with_the_files_etag_gets_304()
    {
        await using var services = DatasetFunctionsTests.Services();
        var first = await HttpInvocation.RunAsync(services, (f, r) => f.GetConsoleFile(r), "GET", "/console/app.js");
        var context = HttpInvocation.Context(services, "GET", "/console/app.js");
        context.Request.Headers.IfNoneMatch = first.Headers.ETag;

        await new HttpFunctions(services.GetRequiredService<DeclaredEndpoints>()).GetConsoleFile(context.Request);

        Assert.Equal(StatusCodes.Status304NotModified, context.Response.StatusCode);
    }
}
