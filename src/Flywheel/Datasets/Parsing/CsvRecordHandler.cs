namespace Flywheel.Datasets.Parsing;

/// <summary>Receives each record as spans over the reader's buffer; valid only during the call.</summary>
public interface ICsvRecordHandler
{
    /// <summary>Handles one record starting at physical <paramref name="line"/>. Returns false to stop reading.</summary>
    bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line);

    /// <summary>
    /// Called after the records of one buffer were handed over and before the buffer is reused:
    /// a handler may defer work on those records until here (to spread it over cores).
    /// </summary>
    ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken);

    /// <summary>Handles a problem that makes part of the file unreadable. Returns false to stop reading.</summary>
    bool OnProblem(string kind, string message, long line);
}
