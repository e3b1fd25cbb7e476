using Flywheel.Onnx;
using Flywheel.Registry;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving;

/// <summary>
/// One model version ready to serve: its shared <see cref="InferenceSession"/> (Run is thread-safe)
/// and its signature. Disposed by the cache when evicted, after in-flight runs finish.
/// </summary>
public sealed class LoadedModel(ModelVersion version, InferenceSession session, long sizeBytes) : IDisposable
{
    private int _leases;
    private bool _evicted;

    public ModelVersion Version { get; } = version;

    public ModelSignature Signature { get; } = version.Signature ?? throw new InvalidOperationException($"{version.Model} v{version.Version} has no signature.");

    public InferenceSession Session { get; } = session;

    public long SizeBytes { get; } = sizeBytes;

    public long LastUsedTicks { get; private set; }

    /// <summary>Marks the model in use until the returned lease is disposed, so eviction never disposes a running session.</summary>
    public Lease Acquire(long nowTicks)
    {
        Interlocked.Increment(ref _leases);
        LastUsedTicks = nowTicks;
        return new Lease(this);
    }

    public void Evict()
    {
        _evicted = true;
        if (Volatile.Read(ref _leases) == 0)
        {
            Session.Dispose();
        }
    }

    public void Dispose() => Evict();

    private void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && _evicted)
        {
            Session.Dispose();
        }
    }

    public readonly struct Lease(LoadedModel model) : IDisposable
    {
        public LoadedModel Model { get; } = model;

        public void Dispose() => Model.Release();
    }
}
