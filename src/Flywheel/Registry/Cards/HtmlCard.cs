using System.Globalization;
using System.Net;
using System.Text;

namespace Flywheel.Registry.Cards;

/// <summary>A card as one self-contained HTML page (inline CSS, no script); dataset rows carry their column and role as <c>data-</c> attributes, text is escaped.</summary>
internal sealed class HtmlCard : ICardWriter
{
    private readonly StringBuilder _html = new();

    public HtmlCard(string title)
    {
        _html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>").Append(Reports.PageLook.Css)
            .Append("table{margin:.5rem 0}table.facts th{color:#59636e;font-weight:400}")
            .Append("tr.label td{background:#fff8c5}tr.excluded td{color:#59636e}")
            .Append("</style></head><body>").Append(Reports.PageLook.ConsoleLink);
    }

    public void Heading(int level, string text) => _html.Append(CultureInfo.InvariantCulture, $"<h{level}>").Append(E(text)).Append(CultureInfo.InvariantCulture, $"</h{level}>");

    public void Paragraph(IEnumerable<Span> spans) => _html.Append("<p>").Append(Inline(spans)).Append("</p>");

    public void Facts(IEnumerable<(string Name, Span[] Value)> facts)
    {
        _html.Append("<table class=\"facts\">");
        foreach (var (name, value) in facts)
        {
            _html.Append("<tr id=\"").Append(E(name.ToLowerInvariant())).Append("\"><th>").Append(E(name)).Append("</th><td>").Append(Inline(value)).Append("</td></tr>");
        }

        _html.Append("</table>");
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<CardRow> rows)
    {
        _html.Append("<table><tr>");
        foreach (var header in headers)
        {
            _html.Append("<th>").Append(E(header)).Append("</th>");
        }

        _html.Append("</tr>");
        foreach (var row in rows)
        {
            _html.Append("<tr");
            if (row.Key is not null)
            {
                _html.Append(" data-column=\"").Append(E(row.Key)).Append('"');
            }

            if (row.Role is not null)
            {
                _html.Append(" data-role=\"").Append(E(row.Role)).Append("\" class=\"").Append(E(row.Role)).Append('"');
            }

            _html.Append('>');
            foreach (var cell in row.Cells)
            {
                _html.Append("<td>").Append(Inline(cell)).Append("</td>");
            }

            _html.Append("</tr>");
        }

        _html.Append("</table>");
    }

    public void Bullets(IEnumerable<Span[]> items)
    {
        _html.Append("<ul>");
        foreach (var item in items)
        {
            _html.Append("<li>").Append(Inline(item)).Append("</li>");
        }

        _html.Append("</ul>");
    }

    public override string ToString() => _html.ToString() + "</body></html>";

    private static string Inline(IEnumerable<Span> spans) => string.Concat(spans.Select(s => s.Kind switch
    {
        SpanKind.Code => $"<code>{E(s.Value)}</code>",
        SpanKind.Em => $"<em>{E(s.Value)}</em>",
        SpanKind.Strong => $"<strong>{E(s.Value)}</strong>",
        SpanKind.Link => $"<a id=\"{E(s.Id!)}\" href=\"{E(s.Href!)}\">{E(s.Value)}</a>",
        _ => E(s.Value),
    }));

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
