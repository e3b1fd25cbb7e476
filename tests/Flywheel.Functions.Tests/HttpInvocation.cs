using System.Text;
using Flywheel.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests;

/// <summary>A request to one generated HTTP function, as the Functions host hands it over: path, query, body, no server.</summary>
internal static class HttpInvocation
{
    public static async Task<Answer> RunAsync(IServiceProvider services, Func<HttpFunctions, HttpRequest, Task> function, string method, string path,
        string? query = null, string? contentType = null, string? body = null)
    {
        var context = Context(services, method, path, query, contentType, body);
        await function(new HttpFunctions(services.GetRequiredService<DeclaredEndpoints>()), context.Request);

        // The answer may sit in the response pipe for the server to flush; there is no server here.
        await context.Response.BodyWriter.FlushAsync();
        return Answer.Read(context);
    }

    /// <summary>The request the host hands over, with a response body to read back.</summary>
    public static DefaultHttpContext Context(IServiceProvider services, string method, string path, string? query = null, string? contentType = null, string? body = null)
    {
        var context = new DefaultHttpContext { RequestServices = services, TraceIdentifier = "trace-1" };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
        context.Response.Body = new MemoryStream();
        return context;
    }

    internal sealed record Answer(int Status, string? ContentType, string Body, IHeaderDictionary Headers)
    {
        public static Answer Read(HttpContext context) =>
            new(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), context.Response.Headers);
    }
}
