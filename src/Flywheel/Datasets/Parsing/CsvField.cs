namespace Flywheel.Datasets.Parsing;

/// <summary>A field's place in the reader's buffer. <see cref="Escaped"/> fields contain doubled quotes still to be undone.</summary>
public readonly record struct CsvField(int Start, int Length, bool Escaped);
