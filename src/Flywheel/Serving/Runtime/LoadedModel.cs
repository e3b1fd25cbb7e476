using System.Runtime.CompilerServices;
using Flywheel.Contracts.Registry;
using Flywheel.Onnx;
using Flywheel.Serving.Records;
using Flywheel.Serving.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Runtime;

/// <summary>
/// One model version ready to serve: its shared <see cref="InferenceSession"/> (Run is thread-safe)
/// and its signature. Disposed by the cache when evicted, after in-flight runs finish.
/// </summary>
/// <param name="zipMaps">ZipMap outputs the session can also give as their probability tensors (<see cref="ZipMapBypass"/>).</param>
public sealed class LoadedModel(ModelVersion version, InferenceSession session, long sizeBytes, IReadOnlyList<ZipMapOutput>? zipMaps = null) : IDisposable
{
    private readonly Dictionary<string, ZipMapOutput> _zipMaps = (zipMaps ?? []).ToDictionary(z => z.Output, StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private int _leases;
    private bool _evicted;

    public ModelVersion Version { get; } = version;

    public ModelSignature Signature { get; } = version.Signature ?? throw new InvalidOperationException($"{version.Model} v{version.Version} has no signature.");

    public InferenceSession Session { get; } = session;

    /// <summary>How requests bind to this version's inputs, worked out once.</summary>
    public InputPlan Inputs => field ??= new InputPlan(Signature, Version.FeatureNames);

    /// <summary>Reads the usual Open Inference Protocol request straight into this model's tensors; null when its inputs are not all of the types it reads.</summary>
    public TensorRequestReader? Tensors => (_tensors ??= new StrongBox<TensorRequestReader?>(TensorRequestReader.For(Inputs))).Value;

    // Boxed so a model without a reader (null) is worked out once too.
    private StrongBox<TensorRequestReader?>? _tensors;

    /// <summary>Pre-bound one-row Runs (<see cref="OneRowRuns"/>); null when the model's inputs or outputs have no fixed one-row size.</summary>
    public OneRowRuns? OneRow
    {
        get
        {
            if (_oneRow is { } made)
            {
                return made.Value;
            }

            // Native bindings: a run made by a racing request is released, never leaked.
            var box = new StrongBox<OneRowRuns?>(OneRowRuns.For(this));
            if (Interlocked.CompareExchange(ref _oneRow, box, null) is { } first)
            {
                box.Value?.Dispose();
                return first.Value;
            }

            return box.Value;
        }
    }

    private StrongBox<OneRowRuns?>? _oneRow;

    /// <summary>The model's own outputs (without the probability tensors added for ZipMaps), in the model's order.</summary>
    public IReadOnlyList<string> OutputNames { get; } = [.. session.OutputNames.Where(n => zipMaps?.Any(z => z.Tensor == n) != true)];

    private IReadOnlyList<string> FetchAll => field ??= [.. OutputNames.Select(n => ZipMap(n)?.Tensor ?? n)];

    /// <summary>The ZipMap behind <paramref name="output"/>, when the session can give its probabilities as a tensor.</summary>
    public ZipMapOutput? ZipMap(string output) => _zipMaps.GetValueOrDefault(output);

    /// <summary>
    /// What a Run fetches for <paramref name="outputs"/>: each bypassed ZipMap's probability tensor in
    /// place of its maps. The model's own output list maps to a list made once, so a request pays nothing.
    /// </summary>
    public IReadOnlyList<string> Fetch(IReadOnlyList<string> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return _zipMaps.Count == 0 ? outputs
            : ReferenceEquals(outputs, OutputNames) ? FetchAll
            : [.. outputs.Select(n => ZipMap(n)?.Tensor ?? n)];
    }

    /// <summary>Shared by every Run on this session, as ONNX Runtime's own NamedOnnxValue overloads share theirs.</summary>
    public RunOptions RunOptions { get; } = new();

    public long SizeBytes { get; } = sizeBytes;

    public long LastUsedTicks { get; private set; }

    /// <summary>
    /// Marks the model in use until the returned lease is disposed, so eviction never disposes a
    /// running session. False when the model was already evicted: the caller loads it again.
    /// </summary>
    public bool TryAcquire(long nowTicks, out Lease lease)
    {
        lock (_gate)
        {
            lease = new Lease(this);
            if (_evicted)
            {
                return false;
            }

            _leases++;
            LastUsedTicks = nowTicks;
            return true;
        }
    }

    public void Evict()
    {
        lock (_gate)
        {
            if (_evicted)
            {
                return;
            }

            _evicted = true;
            if (_leases == 0)
            {
                DisposeNative();
            }
        }
    }

    public void Dispose() => Evict();

    private void Release()
    {
        lock (_gate)
        {
            if (--_leases == 0 && _evicted)
            {
                DisposeNative();
            }
        }
    }

    private void DisposeNative()
    {
        _oneRow?.Value?.Dispose();
        Session.Dispose();
        RunOptions.Dispose();
    }

    public readonly struct Lease(LoadedModel model) : IDisposable
    {
        public LoadedModel Model { get; } = model;

        public void Dispose() => Model.Release();
    }
}
