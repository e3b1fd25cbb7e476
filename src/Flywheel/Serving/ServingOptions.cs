using System.ComponentModel.DataAnnotations;

namespace Flywheel.Serving;

/// <summary>Serving settings, bound from <c>Flywheel:Serving</c>.</summary>
public sealed class ServingOptions
{
    public const string SectionName = "Flywheel:Serving";

    /// <summary>Largest prediction request body, in bytes (413 above).</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 32L << 20;

    /// <summary>Loaded sessions are evicted, least recently used first, above this estimate (model bytes x 2).</summary>
    [Range(0, long.MaxValue)]
    public long SessionMemoryBudgetBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Threads ONNX Runtime may use inside one Run. 1 is best for many small concurrent requests
    /// (requests are the parallelism); raise it for few large batches.
    /// </summary>
    [Range(0, 1_024)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// ONNX Runtime's CPU memory arena. Its allocator takes one lock per session, which concurrent
    /// small requests contend on; large batches gain from its reuse (bench/serving-options.sh).
    /// </summary>
    public bool MemoryArena { get; set; } = true;

    /// <summary>Share of requests written to the prediction log (0..1).</summary>
    [Range(0.0, 1.0)]
    public double PredictionLogSampleRate { get; set; } = 1.0;

    /// <summary>
    /// Most log entries per second on one instance (0 = no cap). Drift needs a steady sample, not
    /// every request: at thousands of requests per second, logging them all costs a third of the
    /// throughput, so above the cap the log keeps the first entries of each second.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int PredictionLogMaxPerSecond { get; set; } = 500;

    /// <summary>Records per prediction-log blob; also the most a crash can lose.</summary>
    [Range(1, 1_000_000)]
    public int PredictionLogBatchSize { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PredictionLogFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Entries waiting to be logged before new ones are dropped (the log never slows predictions).</summary>
    [Range(1, 10_000_000)]
    public int PredictionLogQueueCapacity { get; set; } = 10_000;

    /// <summary>How long a deployment read from storage is trusted before it is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DeploymentCacheDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often each instance writes its per-minute serving counts (the signal a canary is judged on); also the most a crash loses.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SignalFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether this instance counts the per-version serving signal (requests, errors, latency, labels, shadow agreement)
    /// that canaries are judged on. On by default; off only to measure what counting costs (bench/serving.sh signal):
    /// a canary judged without it sees no traffic and stays inconclusive.
    /// </summary>
    public bool Signal { get; set; } = true;
}
