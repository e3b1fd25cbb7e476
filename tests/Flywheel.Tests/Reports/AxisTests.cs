using Flywheel.Reports;

namespace Flywheel.Tests.Reports;

/// <summary>Chart axes tick at round numbers a reader can interpolate between.</summary>
public sealed class AxisTests
{
    [Fact]
    public void A_unit_axis_ticks_every_fifth()
    {
        var axis = Axis.Linear("rate", 0, 1);

        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], axis.Ticks.Select(t => t.Label));
        Assert.Equal(0.6, axis.Ticks[3].Value, 12);
    }

    [Fact]
    public void An_odd_range_widens_to_round_ticks_at_both_ends_and_shares_write_as_percentages()
    {
        var age = Axis.Linear("age", 17, 90, count: 4);
        Assert.Equal(["0", "20", "40", "60", "80", "100"], age.Ticks.Select(t => t.Label));
        Assert.Equal((0, 100), (age.Low, age.High));
        Assert.Equal(["0%", "10%", "20%", "30%", "40%"], Axis.Linear("share of rows", 0, 0.37, scale: 100, suffix: "%", count: 4).Ticks.Select(t => t.Label));
        Assert.Equal(["-0.02", "0.00", "0.02", "0.04", "0.06"], Axis.Linear("drop", -0.015, 0.047, count: 4).Ticks.Select(t => t.Label));
    }

    [Fact]
    public void A_single_value_still_gets_an_axis_around_it()
    {
        var axis = Axis.Linear("predicted", 3, 3);

        Assert.True(axis.Low < 3 && axis.High > 3);
        Assert.Contains(axis.Ticks, t => t.Label == "3.0");
    }
}
