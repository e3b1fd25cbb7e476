using System.Collections.Concurrent;
using Flywheel.Registry;
using Flywheel.Storage;
using Microsoft.Extensions.Options;

namespace Flywheel.Serving;

/// <summary>
/// Reads a model's serving target (latest, champion, deployment) from its head row and keeps it for
/// <see cref="ServingOptions.DeploymentCacheDuration"/>: a change reaches every instance within
/// seconds, and the hot path does not read storage on every request.
/// </summary>
public sealed class TargetResolver(ModelCatalog catalog, IOptions<ServingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ServingTarget Target, long ReadAt)> _cache = new(StringComparer.Ordinal);

    public async Task<ServingTarget> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(name, out var cached) && time.GetElapsedTime(cached.ReadAt) < options.Value.DeploymentCacheDuration)
        {
            return cached.Target;
        }

        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var head = await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelNotFoundException($"Model '{name}' is not registered.");
        var target = new ServingTarget(name, head.GetInt32("Latest") ?? 0,
            ModelCatalog.Aliases(head).TryGetValue(ServingTarget.ChampionAlias, out var champion) ? champion : null,
            ModelCatalog.Deployment(head));
        _cache[name] = (target, time.GetTimestamp());
        return target;
    }

    /// <summary>Forgets a cached target on this instance (after a change made here).</summary>
    public void Invalidate(string name) => _cache.TryRemove(name, out _);
}
