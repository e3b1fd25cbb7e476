using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Azure;
using Flywheel.Registry;
using Flywheel.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flywheel.Serving.Routing;

/// <summary>
/// Reads a model's serving target (latest, champion, deployment) from its head row and keeps it for
/// <see cref="ServingOptions.DeploymentCacheDuration"/>: a change reaches every instance within
/// seconds, and the hot path does not read storage on every request. Only the first request for a
/// model waits for the read; after that an expired target is served while one request's worth of
/// refresh runs in the background, so requests never queue behind a storage read (they did, every
/// few seconds, and it showed in the p99).
/// </summary>
public sealed partial class TargetResolver
{
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly ModelCatalog _catalog;
    private readonly IOptions<ServingOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TargetResolver> _logger;

    /// <param name="registry">Changes made through it on this instance take effect at once; others within the cache duration.</param>
    public TargetResolver(ModelRegistry registry, ModelCatalog catalog, IOptions<ServingOptions> options, TimeProvider time, ILogger<TargetResolver> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _catalog = catalog;
        _options = options;
        _time = time;
        _logger = logger;
        registry.Changed += Invalidate;
    }

    public async Task<ServingTarget> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (TryGetCached(name, out var cached))
        {
            return cached;
        }

        var target = await ReadAsync(name, cancellationToken).ConfigureAwait(false);
        _cache[name] = new Entry(target, _time.GetTimestamp());
        return target;
    }

    /// <summary>The target when it is in memory (an expired one is served while it is read again), without waiting; false when only storage knows it.</summary>
    public bool TryGetCached(string name, [NotNullWhen(true)] out ServingTarget? target)
    {
        if (!_cache.TryGetValue(name, out var entry))
        {
            target = null;
            return false;
        }

        if (_time.GetElapsedTime(entry.ReadAt) >= _options.Value.DeploymentCacheDuration && entry.TryStartRefresh())
        {
            _ = RefreshAsync(name, entry);
        }

        target = entry.Target;
        return true;
    }

    /// <summary>Forgets a cached target on this instance: the next request reads it.</summary>
    public void Invalidate(string name) => _cache.TryRemove(name, out _);

    private async Task RefreshAsync(string name, Entry stale)
    {
        try
        {
            var target = await ReadAsync(name, CancellationToken.None).ConfigureAwait(false);
            _cache.TryUpdate(name, new Entry(target, _time.GetTimestamp()), stale);
        }
        catch (ModelNotFoundException)
        {
            _cache.TryRemove(new KeyValuePair<string, Entry>(name, stale));
        }
        catch (Exception ex)
        {
            // Storage is unreachable (or anything else went wrong): keep serving what was read last, and
            // let a later request try again. Nothing awaits this refresh, so nothing may escape it.
            LogRefreshFailed(_logger, ex, name);
            stale.RefreshFailed();
        }
    }

    private async Task<ServingTarget> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var ledger = await _catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var head = ModelHead.From(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false))
            ?? throw new ModelNotFoundException($"Model '{name}' is not registered.");
        return ServingTarget.Read(name, head.Latest, head.Aliases, head.Deployment, head.Archived);
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Could not refresh the serving target of {Model}; serving the one read before")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string model);

    private sealed class Entry(ServingTarget target, long readAt)
    {
        private int _refreshing;

        public ServingTarget Target { get; } = target;

        public long ReadAt { get; } = readAt;

        /// <summary>True for exactly one caller until the refresh ends.</summary>
        public bool TryStartRefresh() => Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0;

        public void RefreshFailed() => Volatile.Write(ref _refreshing, 0);
    }
}
