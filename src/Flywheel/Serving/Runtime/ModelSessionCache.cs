using Flywheel.Contracts;
using Flywheel.Onnx;
using System.Collections.Concurrent;
using System.Globalization;
using Flywheel.Registry;
using Flywheel.Serving.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Runtime;

/// <summary>
/// One <see cref="InferenceSession"/> per model version, created on first use (concurrent first
/// requests share one load), warmed up with one synthetic run, and evicted least-recently-used when
/// the estimated memory of loaded sessions passes the budget.
/// </summary>
public sealed partial class ModelSessionCache(ModelRegistry registry, ModelBlobs blobs, IOptions<ServingOptions> options, TimeProvider time, ILogger<ModelSessionCache> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string Name, int Version), Lazy<Task<LoadedModel>>> _models = new();

    /// <summary>A lease on the version when it is loaded already, without waiting; false when it is not (yet) or was evicted.</summary>
    public bool TryAcquireLoaded(string name, int version, out LoadedModel.Lease lease)
    {
        lease = default;
        return _models.TryGetValue((name, version), out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully
            && lazy.Value.Result.TryAcquire(time.GetTimestamp(), out lease);
    }

    public async Task<LoadedModel.Lease> AcquireAsync(string name, int version, CancellationToken cancellationToken)
    {
        var key = (name, version);
        while (true)
        {
            var lazy = _models.GetOrAdd(key, _ => new Lazy<Task<LoadedModel>>(() => LoadAsync(name, version)));
            LoadedModel model;
            try
            {
                model = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (lazy.Value.IsFaulted)
            {
                // A failed load is not cached: the next request tries again.
                _models.TryRemove(new KeyValuePair<(string, int), Lazy<Task<LoadedModel>>>(key, lazy));
                throw;
            }

            if (model.TryAcquire(time.GetTimestamp(), out var lease))
            {
                return lease;
            }

            // Evicted between lookup and lease: load it again.
            _models.TryRemove(new KeyValuePair<(string, int), Lazy<Task<LoadedModel>>>(key, lazy));
        }
    }

    public void Dispose()
    {
        foreach (var entry in _models.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            entry.Value.Result.Evict();
        }

        _models.Clear();
    }

    private async Task<LoadedModel> LoadAsync(string name, int version)
    {
        var found = await registry.GetAsync(name, VersionReference.Of(version), CancellationToken.None).ConfigureAwait(false)
            ?? throw new ModelNotFoundException($"Model '{name}' has no version {version}.");
        if (found.Archived)
        {
            throw ModelNotFoundException.Archived(name, version);
        }

        var blob = await blobs.ContentAsync(name, found.Sha256, CancellationToken.None).ConfigureAwait(false);
        var bytes = (await blob.DownloadContentAsync().ConfigureAwait(false)).Value.Content.ToArray();
        var started = time.GetTimestamp();
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.Value.IntraOpThreads,
            InterOpNumThreads = 1,
            EnableCpuMemArena = options.Value.MemoryArena,
        };
        var (runnable, zipMaps) = ZipMapBypass.Apply(bytes);
        InferenceSession session;
        try
        {
            session = new InferenceSession(runnable, sessionOptions);
        }
        catch (OnnxRuntimeException) when (zipMaps.Count > 0)
        {
            // The rewritten graph is refused: serve the model as registered, maps and all.
            (session, zipMaps) = (new InferenceSession(bytes, sessionOptions), []);
        }

        var model = new LoadedModel(found, session, bytes.LongLength, zipMaps);
        WarmUp(model);
        LogLoaded(logger, name, version, bytes.LongLength, time.GetElapsedTime(started).TotalMilliseconds);

        // Only a load can push memory over the budget, so eviction runs here, off the steady-state path.
        EvictIfOverBudget((name, version), model);
        return model;
    }

    // The first Run allocates ONNX Runtime's arena and kernels; paying it here keeps it off the first request.
    private void WarmUp(LoadedModel model)
    {
        try
        {
            using var inputs = TensorFactory.WarmUpInputs(model.Signature);
            if (inputs.Count > 0)
            {
                using var results = model.Session.Run(model.RunOptions, inputs.Names, inputs.Values, model.OutputNames);
            }
        }
        catch (OnnxRuntimeException ex)
        {
            LogWarmUpFailed(logger, ex, model.Version.Model, model.Version.Version);
        }
    }

    private void EvictIfOverBudget((string Name, int Version) justLoaded, LoadedModel loadedNow)
    {
        var loaded = _models
            .Where(e => e.Key != justLoaded && e.Value.IsValueCreated && e.Value.Value.IsCompletedSuccessfully)
            .Select(e => (Key: e.Key, Model: e.Value.Value.Result))
            .ToList();
        var total = loaded.Sum(e => e.Model.SizeBytes * 2) + (loadedNow.SizeBytes * 2);
        foreach (var (key, model) in loaded.OrderBy(e => e.Model.LastUsedTicks))
        {
            if (total <= options.Value.SessionMemoryBudgetBytes)
            {
                break;
            }

            if (_models.TryRemove(key, out _))
            {
                model.Evict();
                total -= model.SizeBytes * 2;
                LogEvicted(logger, key.Name, key.Version);
            }
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Loaded model {Model} v{Version} ({Bytes} bytes) in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string model, int version, long bytes, double milliseconds);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Evicted model session {Model} v{Version} (memory budget)")]
    private static partial void LogEvicted(ILogger logger, string model, int version);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Warm-up run of {Model} v{Version} failed; the first request will pay the start-up cost")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception, string model, int version);
}
