using Flywheel.Testing;

namespace Flywheel.Tests.Pipelines;

/// <summary>Settings for a LocalHost process a test kills and starts again: its own storage and task hub, and leases short enough that a restart picks the work up within seconds.</summary>
internal static class RestartableHost
{
    public static Dictionary<string, string> Settings(string setting, string value) => new()
    {
        ["Flywheel__Storage__NamePrefix"] = Azurite.UniqueName("k")[..12],
        ["Flywheel__LocalEngine__TaskHub"] = Azurite.UniqueName("hub"),
        ["Flywheel__LocalEngine__WorkItemVisibilityTimeout"] = "00:00:05",
        ["Flywheel__LocalEngine__ControlQueueVisibilityTimeout"] = "00:00:05",
        ["Flywheel__LocalEngine__LeaseInterval"] = "00:00:05",
        [setting] = value,
    };
}
