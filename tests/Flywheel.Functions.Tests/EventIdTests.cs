using Flywheel.Testing;

namespace Flywheel.Functions.Tests;

public sealed class EventIdTests
{
    [Fact]
    public void Every_explicit_event_id_names_one_log_message_across_the_Functions_host_assemblies()
    {
        var duplicates = LogEventIds.Duplicates("Flywheel", "Flywheel.Api", "Flywheel.Functions");

        Assert.True(duplicates.Count == 0, "EventIds used more than once:\n" + string.Join("\n", duplicates));
    }
}
