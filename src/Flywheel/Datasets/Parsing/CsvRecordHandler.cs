namespace Flywheel.Datasets.Parsing;

/// <summary>Receives each record as spans over the reader's buffer; valid only during the call.</summary>
public interface ICsvRecordHandler
{
    /// <summary>Handles one record starting at physical <paramref name="line"/>. Returns false to stop reading.</summary>
    bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line);

    /// <summary>Handles a problem that makes part of the file unreadable. Returns false to stop reading.</summary>
    bool OnProblem(string kind, string message, long line);
}
