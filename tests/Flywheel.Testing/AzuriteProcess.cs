using System.Net.Sockets;

namespace Flywheel.Testing;

/// <summary>
/// An Azurite of a test's own, on free ports, from the repository's node_modules. Tests that stop
/// and restart storage use it so they never disturb the Azurite other tests share.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string _location = Directory.CreateTempSubdirectory("flywheel-azurite-").FullName;
    private readonly int _blobPort = FreePort.Next();
    private readonly int _queuePort = FreePort.Next();
    private readonly int _tablePort = FreePort.Next();
    private ChildProcess? _process;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{_blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{_queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{_tablePort}/devstoreaccount1";

    public async Task StartAsync()
    {
        var azurite = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite");
        _process = ChildProcess.Start(azurite,
        [
            "--silent", "--skipApiVersionCheck", "--loose", "--location", _location,
            "--blobHost", "127.0.0.1", "--blobPort", $"{_blobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{_queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{_tablePort}",
        ]);
        await WaitUntilListeningAsync(_blobPort).ConfigureAwait(false);
        await WaitUntilListeningAsync(_tablePort).ConfigureAwait(false);
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Directory.Delete(_location, recursive: true);
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && _process is { HasExited: false })
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"Azurite did not listen on {port}: {_process?.Output}", ex);
            }
        }
    }
}
