using Cronos;

namespace Flywheel.Monitoring;

/// <summary>Cron schedules (six fields, seconds first, UTC) and the run each one is due for.</summary>
public static class MonitoringSchedule
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    public static CronExpression? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return CronExpression.Parse(text, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    /// <summary>The latest occurrence at or before <paramref name="now"/> (looking back up to a year): the end of the window a run is due for.</summary>
    public static DateTimeOffset? Latest(CronExpression schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        foreach (var lookBack in (ReadOnlySpan<TimeSpan>)[TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(367)])
        {
            DateTimeOffset? latest = null;
            foreach (var occurrence in schedule.GetOccurrences(now - lookBack, now, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true))
            {
                latest = occurrence;
            }

            if (latest is not null)
            {
                return latest;
            }
        }

        return null;
    }

    /// <summary>The next occurrence after <paramref name="now"/>.</summary>
    public static DateTimeOffset? Next(CronExpression schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.GetNextOccurrence(now, TimeZoneInfo.Utc);
    }
}
