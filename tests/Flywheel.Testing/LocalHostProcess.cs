namespace Flywheel.Testing;

/// <summary>
/// The real LocalHost executable on a free port, for end-to-end tests over HTTP. The test project
/// references Flywheel.LocalHost, so its binaries sit beside the test assembly.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private LocalHostProcess(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    public static async Task<LocalHostProcess> StartAsync(string storageConnectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Flywheel__Storage__MaxRetries"] = "1",
            ["Flywheel__Storage__HealthTimeout"] = "00:00:02",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",

            // A task hub of its own: processes sharing one would take each other's work.
            ["Flywheel__LocalEngine__TaskHub"] = $"h{Guid.NewGuid():N}"[..16],
            ["Flywheel__LocalEngine__MaxQueuePollingInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "Flywheel.LocalHost.dll");
        var process = ChildProcess.Start("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], environment, AppContext.BaseDirectory);
        var host = new LocalHostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await host.WaitUntilServingAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or a recycled instance would: nothing is flushed or stopped cleanly.</summary>
    public Task KillAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"LocalHost exited during start:\n{_process.Output}");
            }

            try
            {
                using var response = await Client.GetAsync(Client.BaseAddress).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }
}
