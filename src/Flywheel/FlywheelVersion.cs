using System.Reflection;

namespace Flywheel;

/// <summary>
/// This build's version as its assembly states it (the project's Version plus the source revision
/// the SDK appends), read once: what the hosts report and what Flywheel stamps into the models it
/// produces, so a registered model says which build made it.
/// </summary>
public static class FlywheelVersion
{
    public static string Informational { get; } =
        typeof(FlywheelVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
