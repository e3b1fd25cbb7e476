using System.ComponentModel.DataAnnotations;
using Flywheel.Monitoring;

namespace Flywheel.Retraining;

/// <summary>Continuous training (section <c>Flywheel:Retraining</c>).</summary>
public sealed class RetrainingOptions : IValidatableObject
{
    public const string SectionName = "Flywheel:Retraining";

    /// <summary>The flat setting the Functions timer binds (<c>%RETRAINING_SCHEDULE%</c>); when set it overrides <see cref="Schedule"/> (as MONITORING_SCHEDULE does).</summary>
    public const string ScheduleSetting = "RETRAINING_SCHEDULE";

    /// <summary>
    /// When the retraining timer fires: it starts the retrainings that triggers have asked for and checks the policies'
    /// schedules. A fired trigger starts within one period (every minute by default); six-field cron, seconds first.
    /// </summary>
    [Required]
    public string Schedule { get; set; } = "0 * * * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MonitoringSchedule.TryParse(Schedule) is null)
        {
            yield return new ValidationResult($"{ScheduleSetting} (or Flywheel:Retraining:Schedule) '{Schedule}' is not a six-field cron expression (seconds minutes hours days months weekdays).", [nameof(Schedule)]);
        }
    }
}
