namespace Flywheel.Registry.Cards;

/// <summary>How a run of a card's inline content is set: plain, as written, code, emphasis, strong, or a link.</summary>
internal enum SpanKind
{
    Text,
    Raw,
    Code,
    Em,
    Strong,
    Link,
}

/// <summary>A run of inline content; <see cref="SpanKind.Raw"/> is text the registrant wrote (Markdown keeps it as it is, HTML escapes it).</summary>
internal readonly record struct Span(SpanKind Kind, string Value, string? Href = null, string? Id = null)
{
    public static Span Text(string value) => new(SpanKind.Text, value);

    public static Span Raw(string value) => new(SpanKind.Raw, value);

    public static Span Code(string value) => new(SpanKind.Code, value);

    public static Span Em(string value) => new(SpanKind.Em, value);

    public static Span Strong(string value) => new(SpanKind.Strong, value);

    public static Span Link(string value, string href, string id) => new(SpanKind.Link, value, href, id);
}

/// <summary>A row of a card's table.</summary>
/// <param name="Key">The dataset column a row describes, if any (HTML: <c>data-column</c>).</param>
/// <param name="Role">The column's role, if known (HTML: <c>data-role</c> and a class).</param>
internal sealed record CardRow(IReadOnlyList<Span[]> Cells, string? Key = null, string? Role = null);

/// <summary>The blocks a model card is made of, written by each format its own way: the card's content is written once, against this.</summary>
internal interface ICardWriter
{
    void Heading(int level, string text);

    void Paragraph(IEnumerable<Span> spans);

    /// <summary>Name-value pairs: a headless two-column table.</summary>
    void Facts(IEnumerable<(string Name, Span[] Value)> facts);

    void Table(IReadOnlyList<string> headers, IEnumerable<CardRow> rows);

    void Bullets(IEnumerable<Span[]> items);
}
