namespace Flywheel.Reports;

/// <summary>
/// The look the HTML pages Flywheel writes (training report, drift report, model card) share with the web console:
/// type, colours, headings, tables and verdict boxes. The pages inline it, so a saved or downloaded page stays
/// whole; the console serves the same text as <c>console/page.css</c>, so there is one definition.
/// </summary>
public static class PageLook
{
    public const string Css =
        "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;padding:0 1rem}" +
        "h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}" +
        ".muted{color:#59636e}a{color:#0969da}.verdict{padding:.75rem 1rem;border-radius:6px;margin:1rem 0;font-weight:600}" +
        "table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:.3rem .6rem;border-bottom:1px solid #eaeef2;text-align:left}" +
        "code{font:12px ui-monospace,monospace;background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}" +
        "nav.console-link{font-size:12px;margin:0 0 1rem}";

    /// <summary>The way back to the console, first in each page's body (a root-relative link: the pages are served by the app).</summary>
    public const string ConsoleLink = "<nav class=\"console-link\" aria-label=\"Flywheel\"><a href=\"/console\">Flywheel console</a></nav>";
}
