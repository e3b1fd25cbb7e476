using Flywheel.Storage;
using Microsoft.Extensions.Options;

namespace Flywheel.Health;

/// <summary>The outcome of one health probe: every dependency by name, with "ok" or the reason it failed.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyDictionary<string, string> Checks);

/// <summary>
/// Asks each storage service for the smallest possible page, bounded by a short timeout, so a
/// stopped emulator or an unreachable account yields a report rather than a hung request.
/// </summary>
public sealed class StorageHealthProbe(StorageClients storage, IOptions<StorageOptions> options)
{
    public const string Blobs = "blobs";
    public const string Tables = "tables";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var blobs = ProbeAsync(async ct =>
        {
            await foreach (var page in storage.Blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1))
            {
                break;
            }
        }, cancellationToken);
        var tables = ProbeAsync(async ct =>
        {
            await foreach (var page in storage.Tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1))
            {
                break;
            }
        }, cancellationToken);

        var checks = new Dictionary<string, string>
        {
            [Blobs] = await blobs.ConfigureAwait(false),
            [Tables] = await tables.ConfigureAwait(false),
        };
        return new HealthReport(checks.Values.All(status => status == "ok"), checks);
    }

    private async Task<string> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.HealthTimeout);
        try
        {
            await probe(timeout.Token).ConfigureAwait(false);
            return "ok";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"unreachable: no answer within {options.Value.HealthTimeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException or HttpRequestException or InvalidOperationException)
        {
            return $"failed: {FirstLine(ex.Message)}";
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
