using System.Net.Sockets;
using System.Text;
using Flywheel.Testing;

namespace Flywheel.Tests.Hosting;

/// <summary>Kestrel's minimum request body data rate, on the real LocalHost process (the in-process test server has no such limit).</summary>
public sealed class SlowRequestTests
{
    [Theory]
    [InlineData("PUT", "api/datasets/slow")]
    [InlineData("POST", "api/models/slow/predict")]
    [InlineData("PUT", "api/models/slow/deployment")]
    public async Task A_body_that_trickles_in_below_the_minimum_rate_is_a_408_problem(string method, string path)
    {
        await using var host = await LocalHostProcess.StartAsync(Azurite.ConnectionString,
            new Dictionary<string, string> { ["Flywheel__Storage__NamePrefix"] = $"s{Guid.NewGuid():N}"[..10], ["Flywheel__LocalEngine__Enabled"] = "false" });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.Client.BaseAddress!.Host, host.Client.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} /{path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"));

        // 4 bytes every 2 seconds, far below Kestrel's 240 bytes/s after its 5 s grace period.
        var response = new StringBuilder();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = stream.ReadAsync(buffer, deadline.Token).AsTask();
        while (!reading.IsCompleted && !deadline.IsCancellationRequested)
        {
            try
            {
                await stream.WriteAsync("{\"a\""u8.ToArray(), deadline.Token);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(reading, Task.Delay(2000, deadline.Token));
        }

        var read = await reading;
        response.Append(Encoding.UTF8.GetString(buffer, 0, read));

        Assert.StartsWith("HTTP/1.1 408", response.ToString(), StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response.ToString(), StringComparison.Ordinal);
        Assert.Contains("too slowly", response.ToString(), StringComparison.Ordinal);
        using var health = await host.Client.GetAsync(new Uri("api/health", UriKind.Relative));
        Assert.True(health.IsSuccessStatusCode);
    }
}
