using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

public sealed class TimerTriggerAttribute : TriggerBindingAttribute
{
    public TimerTriggerAttribute(string schedule)
    {
        Schedule = schedule;
        UseMonitor = true;
    }

    public string Schedule { get; private set; }

    public bool UseMonitor { get; set; }

    public bool RunOnStartup { get; set; }
}

public class TimerInfo
{
    public ScheduleStatus? ScheduleStatus { get; set; }

    public bool IsPastDue { get; set; }
}

public class ScheduleStatus
{
    public DateTime Last { get; set; }

    public DateTime Next { get; set; }

    public DateTime LastUpdated { get; set; }
}
