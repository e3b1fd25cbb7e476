using System.Xml;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Retraining;
using Flywheel.Monitoring;

namespace Flywheel.Retraining.Policy;

/// <summary>
/// The checks on a <see cref="RetrainingPolicy"/> that need no storage, and the policy read into the durations and
/// numbers the retraining orchestration runs with. Each mistake names its field, so a 400 says where to look.
/// </summary>
public static class RetrainingPolicyChecks
{
    /// <summary>The longest duration a canary, a cooldown or an approval may be given: a durable timer longer than this is a mistake.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    /// <summary>The most intervals a canary's maximum duration may hold, so a stage's judged intervals stay within its orchestration's bound.</summary>
    public const int MaxIntervals = 1_000;

    /// <summary>The longest window of logged predictions a feedback trigger reads, as on-demand drift runs.</summary>
    public static readonly TimeSpan MaxFeedbackWindow = TimeSpan.FromDays(31);

    /// <summary>Every problem with <paramref name="policy"/>, each as "field: what is wrong"; empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(RetrainingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<string>();
        var triggers = policy.Triggers ?? new();
        if (triggers.NewData is { } data)
        {
            if (data.Dataset is not null && !ResourceName.IsValid(data.Dataset))
            {
                problems.Add($"triggers.newData.dataset: '{data.Dataset}' is not a dataset name ({ResourceName.Rule})");
            }

            if (data.MinNewRows < 0)
            {
                problems.Add($"triggers.newData.minNewRows must be 0 or more; it is {data.MinNewRows}");
            }
        }

        if (triggers.Drift is { } drift)
        {
            if (!(drift.MinShare is > 0 and <= 1))
            {
                problems.Add($"triggers.drift.minShare must be within (0, 1]; it is {drift.MinShare}");
            }

            if (drift.Consecutive is < 1 or > 100)
            {
                problems.Add($"triggers.drift.consecutive must be within 1-100; it is {drift.Consecutive}");
            }
        }

        if (triggers.Schedule is not null && MonitoringSchedule.TryParse(triggers.Schedule) is null)
        {
            problems.Add($"triggers.schedule must be a six-field cron expression (seconds minutes hours days months weekdays, UTC) such as \"0 0 3 * * 1\"; it is '{triggers.Schedule}'");
        }

        if (triggers.Feedback is { } feedback)
        {
            if (!ResourceName.IsValid(feedback.Dataset))
            {
                problems.Add($"triggers.feedback.dataset: '{feedback.Dataset}' is not a dataset name ({ResourceName.Rule})");
            }

            if (feedback.MinRows < 1)
            {
                problems.Add($"triggers.feedback.minRows must be at least 1; it is {feedback.MinRows}");
            }

            if (Duration(feedback.Window, "triggers.feedback.window", problems) is { } window && window > MaxFeedbackWindow)
            {
                problems.Add($"triggers.feedback.window must be at most {MaxFeedbackWindow.TotalDays:N0} days (the prediction log is read hour by hour); it is '{feedback.Window}'");
            }
        }

        Duration(policy.Cooldown, "cooldown", problems, allowZero: true);
        Duration(policy.ApprovalTimeout, "approvalTimeout", problems);
        var canary = policy.Canary ?? new CanaryPolicy();
        if (canary.ShadowFirst is not null)
        {
            Duration(canary.ShadowFirst, "canary.shadowFirst", problems, allowZero: true);
        }

        if (Duration(canary.Interval, "canary.interval", problems) is { } interval && Duration(canary.MaxDuration, "canary.maxDuration", problems) is { } longest
            && longest / interval > MaxIntervals)
        {
            problems.Add($"canary.maxDuration allows {longest / interval:N0} intervals of {canary.Interval}; at most {MaxIntervals:N0} (each judged interval is kept in the retraining's history): use a longer interval or a shorter maximum");
        }
        var steps = canary.Steps ?? [];
        if (steps.Count is 0 or > 20)
        {
            problems.Add($"canary.steps needs 1-20 weights; it has {steps.Count}");
        }
        else if (steps.Any(s => s is < 1 or > 99))
        {
            problems.Add($"canary.steps: each weight must be within 1-99 (percent of the live traffic); they are [{string.Join(", ", steps)}]");
        }
        else if (steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First))
        {
            problems.Add($"canary.steps must increase; they are [{string.Join(", ", steps)}]");
        }

        if (canary.MinRequests is < 1 or > 10_000_000)
        {
            problems.Add($"canary.minRequests must be within 1-10,000,000; it is {canary.MinRequests}");
        }

        if (canary.FailureLimit is < 1 or > 100)
        {
            problems.Add($"canary.failureLimit must be within 1-100; it is {canary.FailureLimit}");
        }

        if (canary.Checks is { } checks)
        {
            Share(checks.ErrorRate?.Max, "canary.checks.errorRate.max", problems);
            Share(checks.ErrorRate?.MaxAboveChampion, "canary.checks.errorRate.maxAboveChampion", problems);
            Share(checks.Agreement?.Min, "canary.checks.agreement.min", problems);
            Share(checks.OutputDrift?.Max, "canary.checks.outputDrift.max", problems);
            Share(checks.Significance, "canary.checks.significance", problems);
            if (checks.LatencyP99Ms is { } latency && (!(latency.Max > 0) || !(latency.MaxRatioToChampion >= 1) || !(latency.MinDifferenceMs >= 0)))
            {
                problems.Add($"canary.checks.latencyP99Ms: max must be above 0, maxRatioToChampion at least 1 and minDifferenceMs 0 or more; they are {latency.Max}, {latency.MaxRatioToChampion} and {latency.MinDifferenceMs}");
            }
        }

        return problems;
    }

    /// <summary>Throws a 400 naming every problem; the policy is otherwise returned as it is.</summary>
    public static RetrainingPolicy Checked(RetrainingPolicy policy)
    {
        var problems = Problems(policy);
        return problems.Count == 0
            ? policy
            : throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidPolicy, $"The policy is not valid: {string.Join("; ", problems)}.");
    }

    /// <summary>An ISO 8601 duration already checked by <see cref="Problems"/>.</summary>
    public static TimeSpan ToDuration(string? text) => string.IsNullOrEmpty(text) ? TimeSpan.Zero : XmlConvert.ToTimeSpan(text);

    /// <summary>The duration, or null after adding why it is not one.</summary>
    private static TimeSpan? Duration(string? text, string field, List<string> problems, bool allowZero = false)
    {
        TimeSpan value;
        try
        {
            value = XmlConvert.ToTimeSpan(text ?? string.Empty);
        }
        catch (FormatException)
        {
            problems.Add($"{field} must be an ISO 8601 duration such as PT5M or P1D; it is '{text}'");
            return null;
        }

        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > MaxDuration)
        {
            problems.Add($"{field} must be {(allowZero ? "0 or more" : "positive")} and at most {MaxDuration.TotalDays:N0} days; it is '{text}'");
            return null;
        }

        return value;
    }

    private static void Share(double? value, string field, List<string> problems)
    {
        if (value is { } share && !(share is >= 0 and <= 1))
        {
            problems.Add($"{field} must be within [0, 1]; it is {share}");
        }
    }
}
