using System.ComponentModel.DataAnnotations;

namespace Flywheel.Monitoring;

/// <summary>Model monitoring defaults (section <c>Flywheel:Monitoring</c>); a model's own settings override them.</summary>
public sealed class MonitoringOptions : IValidatableObject
{
    public const string SectionName = "Flywheel:Monitoring";

    /// <summary>
    /// The flat setting the Functions timer binds (<c>%MONITORING_SCHEDULE%</c>) and that, when set,
    /// overrides <see cref="Schedule"/>: the platform's scale controller reads the raw binding, and a
    /// Linux app setting name cannot hold the ':' of a nested one.
    /// </summary>
    public const string ScheduleSetting = "MONITORING_SCHEDULE";

    /// <summary>When the monitoring timer fires and every model's default schedule: six-field cron (seconds first), as Functions timers read it. Default hourly; <see cref="ScheduleSetting"/> overrides it.</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 * * * *";

    /// <summary>How far back from a run's end the logged predictions are read.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The fewest logged rows a verdict needs; fewer gives a report that says so.</summary>
    [Range(1, 100_000_000)]
    public int MinRows { get; set; } = 100;

    /// <summary>Features compared per activity when a model has many (each activity reads its own columns).</summary>
    [Range(1, 1_000)]
    public int FeatureGroupSize { get; set; } = 16;

    /// <summary>Reference rows scored to capture the prediction distribution of a model registered from elsewhere.</summary>
    [Range(100, 1_000_000)]
    public int ReferencePredictionRows { get; set; } = 5_000;

    /// <summary>Memory for stored columns already read from dataset versions, encoded (references read again each run come from here); 0 turns the cache off.</summary>
    [Range(0, long.MaxValue)]
    public long ColumnCacheBytes { get; set; } = 64L << 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MonitoringSchedule.TryParse(Schedule) is null)
        {
            yield return new ValidationResult($"{ScheduleSetting} (or Flywheel:Monitoring:Schedule) '{Schedule}' is not a six-field cron expression (seconds minutes hours days months weekdays).", [nameof(Schedule)]);
        }

        if (Window <= TimeSpan.Zero || Window > MonitoringSchedule.MaxWindow)
        {
            yield return new ValidationResult($"Flywheel:Monitoring:Window must be positive and at most {MonitoringSchedule.MaxWindow.TotalDays:N0} days.", [nameof(Window)]);
        }
    }
}
