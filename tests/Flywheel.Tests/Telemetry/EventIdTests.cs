using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Flywheel.Tests.Telemetry;

/// <summary>
/// A log line's EventId is how an operator filters and alerts on it, and one host loads the core, the API and its own
/// assembly into one log, so an EventId must name one message across all of them.
/// </summary>
public sealed class EventIdTests
{
    private static readonly string[] HostAssemblies = ["Flywheel", "Flywheel.Api", "Flywheel.LocalHost"];

    [Fact]
    public void Every_explicit_event_id_names_one_log_message_across_the_host_assemblies()
    {
        var messages = HostAssemblies.SelectMany(name => LoggerMessages(Assembly.Load(new AssemblyName(name)))).ToList();

        var duplicates = messages
            .GroupBy(message => message.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(message => message.Method))}")
            .ToList();

        Assert.NotEmpty(messages);
        Assert.True(duplicates.Count == 0, "EventIds used more than once:\n" + string.Join("\n", duplicates));
    }

    /// <summary>The [LoggerMessage] methods of an assembly that set an EventId (the attribute's default, -1, lets the generator pick one).</summary>
    private static IEnumerable<(int EventId, string Method)> LoggerMessages(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null && attribute.EventId >= 0
        select (attribute.EventId, $"{assembly.GetName().Name}:{type.FullName}.{method.Name}");
}
