using System.Text;

namespace Flywheel.Registry.Cards;

/// <summary>A card in Markdown: the default, since it diffs and pastes into a review.</summary>
internal sealed class MarkdownCard : ICardWriter
{
    private readonly StringBuilder _md = new();

    // Whether the last block needs a blank line before the next one (a heading leaves one after itself).
    private bool _open;

    public void Heading(int level, string text)
    {
        Start();
        _md.Append('#', level).Append(' ').AppendLine(text).AppendLine();
        _open = false;
    }

    public void Paragraph(IEnumerable<Span> spans)
    {
        Start();
        _md.AppendLine(Inline(spans));
    }

    public void Facts(IEnumerable<(string Name, Span[] Value)> facts)
    {
        Start();
        _md.AppendLine("| | |").AppendLine("|---|---|");
        foreach (var (name, value) in facts)
        {
            _md.Append("| ").Append(name).Append(" | ").Append(Inline(value)).AppendLine(" |");
        }
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<CardRow> rows)
    {
        Start();
        _md.Append("| ").AppendJoin(" | ", headers).AppendLine(" |").Append('|').Append(string.Concat(Enumerable.Repeat("---|", headers.Count))).AppendLine();
        foreach (var row in rows)
        {
            _md.Append("| ").AppendJoin(" | ", row.Cells.Select(Inline)).AppendLine(" |");
        }
    }

    public void Bullets(IEnumerable<Span[]> items)
    {
        Start();
        foreach (var item in items)
        {
            _md.Append("- ").AppendLine(Inline(item));
        }
    }

    public override string ToString() => _md.ToString();

    private void Start()
    {
        if (_open)
        {
            _md.AppendLine();
        }

        _open = true;
    }

    private static string Inline(IEnumerable<Span> spans) => string.Concat(spans.Select(s => s.Kind switch
    {
        SpanKind.Code => $"`{s.Value}`",
        SpanKind.Em => $"_{s.Value}_",
        SpanKind.Strong => $"**{s.Value}**",
        SpanKind.Link => $"[{s.Value}]({s.Href})",
        _ => s.Value,
    }));
}
