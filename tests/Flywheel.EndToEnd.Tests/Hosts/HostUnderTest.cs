using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Testing;

namespace Flywheel.EndToEnd.Tests.Hosts;

public enum HostKind
{
    /// <summary>Flywheel.LocalHost: one ASP.NET Core process with the local Durable engine.</summary>
    LocalHost,

    /// <summary>Flywheel.Functions under the Functions host, as <c>azd up</c> deploys it.</summary>
    Functions,
}

/// <summary>
/// One host as a process on an Azurite of its own, reached over real HTTP. Both kinds take the same
/// settings (the app's own option names); each gets what its host needs besides (a task hub, a fast
/// queue poll, a known function key). Stop and start it again on the same storage and task hub to
/// see what a restart or a crash leaves behind.
/// </summary>
public sealed class HostUnderTest : IAsyncDisposable
{
    /// <summary>The key every request carries; LocalHost ignores it, the Functions host checks it as Azure does.</summary>
    public const string FunctionKey = "e2e-master-key";

    private readonly Dictionary<string, string> _settings;
    private readonly string _secrets = Directory.CreateTempSubdirectory("flywheel-e2e-keys-").FullName;
    private ChildProcess? _process;
    private string _previousOutput = string.Empty;

    private HostUnderTest(HostKind kind, AzuriteProcess storage, IReadOnlyDictionary<string, string>? settings)
    {
        Kind = kind;
        Storage = storage;
        TaskHub = $"e2e{Guid.NewGuid():N}"[..16];
        _settings = new Dictionary<string, string>
        {
            ["Flywheel__Storage__MaxRetries"] = "1",
            ["Flywheel__Storage__HealthTimeout"] = "00:00:02",

            // The monitoring timer fires once a year unless a test asks for more: its runs would change what the others see.
            // The Functions timer binds MONITORING_SCHEDULE (local.settings.sample.json sets it hourly), and that
            // setting wins over the nested one on both hosts.
            ["Flywheel__Monitoring__Schedule"] = "0 0 0 1 1 *",
            ["MONITORING_SCHEDULE"] = "0 0 0 1 1 *",
            ["Flywheel__Retraining__Schedule"] = "0 0 0 1 1 *",
            ["RETRAINING_SCHEDULE"] = "0 0 0 1 1 *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    public HostKind Kind { get; }

    public AzuriteProcess Storage { get; }

    public string TaskHub { get; }

    public HttpClient Client { get; private set; } = new();

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>What the process wrote (and, after a restart, what the one before it wrote), for failure messages.</summary>
    public string Output => _previousOutput + (_process?.Output ?? string.Empty);

    public static async Task<HostUnderTest> StartAsync(HostKind kind, IReadOnlyDictionary<string, string>? settings = null)
    {
        var storage = new AzuriteProcess();
        await storage.StartAsync().ConfigureAwait(false);
        var host = new HostUnderTest(kind, storage, settings);
        try
        {
            await host.StartProcessAsync().ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The last lines the host wrote: enough to see why a step failed without the whole start-up log.</summary>
    public string OutputTail(int lines = 80)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    /// <summary>SIGKILL of the host and its worker: nothing flushed, nothing stopped cleanly, as a crashed or recycled instance.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _previousOutput += _process.Output + "\n--- killed ---\n";
            _process = null;
        }
    }

    /// <summary>A new process on the same storage and task hub (and a new port).</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        Client.Dispose();
        await Storage.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_secrets, recursive: true);
    }

    private async Task StartProcessAsync()
    {
        // A port is free when chosen but bound later, by the host or by its worker (which picks its own):
        // a start that lost that race is tried again on new ports, any other failure is reported.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            _process = Kind switch
            {
                HostKind.LocalHost => StartLocalHost(port),
                _ => StartFunctionsHost(port, await FunctionsHostBuild.DirectoryAsync().ConfigureAwait(false)),
            };
            Client.Dispose();
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
            Client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
            if (await WaitUntilHealthyAsync().ConfigureAwait(false))
            {
                return;
            }

            var output = _process.Output;
            await KillAsync().ConfigureAwait(false);
            if (attempt == 3 || !output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{Kind} exited during start (attempt {attempt}):\n{OutputTail()}");
            }
        }
    }

    private ChildProcess StartLocalHost(int port)
    {
        var environment = new Dictionary<string, string>(_settings)
        {
            ["AzureWebJobsStorage"] = Storage.ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Flywheel__LocalEngine__TaskHub"] = TaskHub,
            ["Flywheel__LocalEngine__MaxQueuePollingInterval"] = "00:00:00.500",
            ["Flywheel__Datasets__LandingPollInterval"] = "00:00:00.500",
        };
        var dll = Path.Combine(AppContext.BaseDirectory, "Flywheel.LocalHost.dll");
        return ChildProcess.Start("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], environment, AppContext.BaseDirectory);
    }

    private ChildProcess StartFunctionsHost(int port, string hostDirectory)
    {
        // local.settings.sample.json with this host's settings on top: what a developer's local.settings.json holds.
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")))!;
        var values = sample["Values"]!.AsObject();
        foreach (var (key, value) in _settings)
        {
            values[key] = value;
        }

        values["TASKHUB_NAME"] = TaskHub;
        var settingsFile = Path.Combine(_secrets, "local.settings.json");
        File.WriteAllText(settingsFile, sample.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var environment = new Dictionary<string, string>
        {
            ["FUNCTIONS_MASTER_KEY"] = FunctionKey,
            ["FUNCTIONS_SECRETS_PATH"] = _secrets,

            // host.json's idle poll suits Azure's bill; a test wants the next step at once.
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval"] = "00:00:00.500",
        };
        var run = Path.Combine(FunctionsHostBuild.Tools, "run.sh");
        return ChildProcess.Start("bash", [run, hostDirectory, FunctionsHostBuild.AppDirectory, $"{port}", Storage.ConnectionString, settingsFile], environment);
    }

    /// <returns>False when the process exited before it was healthy.</returns>
    private async Task<bool> WaitUntilHealthyAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await Client.GetAsync("api/health").ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, but the worker is not ready to answer.
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"{Kind} was not healthy after {watch.Elapsed.TotalSeconds:0} s:\n{OutputTail()}");
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }
}
