using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Flywheel.Testing;

/// <summary>
/// The explicit EventIds of the [LoggerMessage] methods in the assemblies one host loads. An operator filters and
/// alerts on EventId across the whole host log, so an id must name one message across all of them.
/// </summary>
public static class LogEventIds
{
    /// <summary>Each EventId set on more than one [LoggerMessage] method of <paramref name="assemblies"/>, with the methods, one line each.</summary>
    public static IReadOnlyList<string> Duplicates(params string[] assemblies)
    {
        var messages = assemblies.SelectMany(name => Messages(Assembly.Load(new AssemblyName(name)))).ToList();
        if (messages.Count == 0)
        {
            throw new InvalidOperationException($"No [LoggerMessage] method with an EventId in {string.Join(", ", assemblies)}: the check would pass vacuously.");
        }

        return messages
            .GroupBy(message => message.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(message => message.Method))}")
            .ToList();
    }

    // The attribute's default EventId, -1, lets the generator derive one from the method name.
    private static IEnumerable<(int EventId, string Method)> Messages(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null && attribute.EventId >= 0
        select (attribute.EventId, $"{assembly.GetName().Name}:{type.FullName}.{method.Name}");
}
