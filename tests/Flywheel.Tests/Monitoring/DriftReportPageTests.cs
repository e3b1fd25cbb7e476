using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Drift;
using Flywheel.Monitoring.Reports;
using Flywheel.Tests.Reports;

namespace Flywheel.Tests.Monitoring;

/// <summary>The drift report's distribution charts: every category named under its bars, a numerical column's scale, shares in percent, all text escaped.</summary>
public sealed class DriftReportPageTests
{
    [Fact]
    public void A_categorical_histogram_names_every_category_on_its_axis_escaped()
    {
        string[] categories = ["Southampton", "Cherbourg", "Queenstown", "<script>alert(1)</script>", "a port with a long name", "other"];
        var embarked = Column("report-embarked", new ColumnHistogram(categories, [0.7, 0.15, 0.1, 0.02, 0.02, 0.01], [0.6, 0.2, 0.1, 0.05, 0.03, 0.02], Categorical: true));

        var html = DriftReportPage.Render(Report(embarked), "report-embarked drift");

        var figure = ChartMarkup.Figure(html, "data-column=\"report-embarked\"");
        Assert.Equal(categories, ChartMarkup.Ticks(figure, "x"));
        Assert.Equal(["0%", "20%", "40%", "60%", "80%"], ChartMarkup.Ticks(figure, "y"));
        Assert.Equal(["report-embarked (category)", "share of rows"], ChartMarkup.AxisTitles(figure));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", figure, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        // Six names do not fit side by side under 300 pixels: they are slanted.
        Assert.Contains("class=\"tick-x\" text-anchor=\"end\" transform=\"rotate(-40", figure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_numerical_histogram_ticks_its_scale_at_every_fifth_bin_start()
    {
        var bins = Enumerable.Range(0, 20).Select(i => (i * 4).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var shares = Enumerable.Repeat(0.05, 20).ToList();
        var age = Column("report-age", new ColumnHistogram(bins, shares, shares));

        var figure = ChartMarkup.Figure(DriftReportPage.Render(Report(age), "report-age drift"), "data-column=\"report-age\"");

        Assert.Equal(["0", "20", "40", "60"], ChartMarkup.Ticks(figure, "x"));
        Assert.Equal("report-age (value where a bin starts)", ChartMarkup.AxisTitles(figure)[0]);
        Assert.Equal(40, figure.Split("<rect ").Length - 2);
    }

    private static ColumnDrift Column(string name, ColumnHistogram histogram) =>
        new(name, histogram.Categorical ? "categorical" : "numerical", "jensenshannon", 0.1, 0.05, false, 1000, 1000, histogram);

    private static DriftReport Report(ColumnDrift column) =>
        DriftReports.Summarize(new DriftSide($"{column.Column}-data", 1, null, 1000), new DriftSide($"{column.Column}-data", 2, null, 1000), [column], new Dictionary<string, string>());
}
