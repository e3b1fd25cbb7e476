using Flywheel.Storage;

namespace Flywheel.Tests.Storage;

public sealed class CompactTimeTests
{
    [Fact]
    public void An_instant_is_written_in_utc_in_the_basic_iso_form_that_sorts_as_text()
    {
        var local = new DateTimeOffset(2026, 12, 1, 2, 3, 4, TimeSpan.FromHours(2));

        Assert.Equal("20261201T000304Z", CompactTime.Format(local));
        Assert.True(string.CompareOrdinal(CompactTime.Format(local), CompactTime.Format(local.AddSeconds(1))) < 0);
    }
}
