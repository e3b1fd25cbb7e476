using Flywheel.Client;

namespace Flywheel.Tests.Clients;

/// <summary>A <see cref="FlywheelClient"/> over an in-process LocalHost's test server, polling fast.</summary>
internal static class ClientApp
{
    public static FlywheelClient ClientFor(FlywheelApp app)
    {
        var http = app.CreateClient();
        return new FlywheelClient(http, new FlywheelClientOptions { Endpoint = http.BaseAddress!, PollInterval = TimeSpan.FromMilliseconds(200) });
    }
}

/// <summary>
/// Reads a whole list. Two <c>System.Linq.AsyncEnumerable</c> classes are in reach here (.NET 10's and the System.Linq.Async
/// package a dependency brings), so their <c>ToListAsync</c> is ambiguous.
/// </summary>
internal static class AsyncLists
{
    public static async Task<List<T>> AllAsync<T>(this IAsyncEnumerable<T> items)
    {
        var all = new List<T>();
        await foreach (var item in items)
        {
            all.Add(item);
        }

        return all;
    }
}
