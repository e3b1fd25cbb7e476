using System.ComponentModel.DataAnnotations;

namespace Flywheel.LocalHost.Pipelines;

/// <summary>
/// The local Durable Task Framework engine (section <c>Flywheel:LocalEngine</c>). The timeouts are
/// shorter than the engine's defaults (5 min, 30 s) so a killed LocalHost resumes its
/// orchestrations within seconds of restarting: a message another process held is visible again,
/// and its partition lease expires, about 20 s after that process died.
/// </summary>
public sealed class LocalEngineOptions
{
    public const string SectionName = "Flywheel:LocalEngine";

    /// <summary>Off, the pipeline routes answer 503; tests that never start an orchestration turn it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The task hub (tables, queues and containers the engine owns). Local only: never point it at
    /// the hub of a deployed Function App, whose host-side engine stores state differently.
    /// Empty means <c>{Flywheel:Storage:NamePrefix}flywheellocal</c>.
    /// </summary>
    [RegularExpression("^([A-Za-z][A-Za-z0-9]{2,44})?$", ErrorMessage = "A task hub name is 3-45 letters and digits, starting with a letter.")]
    public string TaskHub { get; set; } = string.Empty;

    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest wait between polls of an idle queue (polling backs off up to this).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Activities run at once in this process; 0 means one per core.</summary>
    [Range(0, 256)]
    public int MaxConcurrentActivities { get; set; }
}
