using System.Buffers.Text;
using System.Text.Json;

namespace Flywheel.Serving.Records;

/// <summary>
/// How a CSV cell reads as a value of an input's element type: one rule for every CSV Flywheel
/// scores (batch scoring's files, predict's <c>text/csv</c> bodies), so a row scores alike whichever
/// way it came. An empty cell, <c>NaN</c>, <c>nan</c> or <c>NA</c> is a missing number; numbers read
/// as System.Text.Json reads them (3.0 is an integer, 3.5 is not); <c>true</c>/<c>True</c>/<c>1</c>
/// and <c>false</c>/<c>False</c>/<c>0</c> are booleans; a string is the cell's text.
/// </summary>
public static class CsvCell
{
    /// <summary>Whether the cell stands for a missing number (NaN for float and double inputs).</summary>
    public static bool IsMissing(ReadOnlySpan<byte> cell) =>
        cell.IsEmpty || cell.SequenceEqual("NaN"u8) || cell.SequenceEqual("nan"u8) || cell.SequenceEqual("NA"u8);

    /// <summary>The whole cell as a number.</summary>
    public static bool TryReal(ReadOnlySpan<byte> cell, out double value) =>
        Utf8Parser.TryParse(cell, out value, out var used) && used == cell.Length;

    /// <summary>The whole cell as a whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static bool TryInteger(ReadOnlySpan<byte> cell, long min, long max, out long value)
    {
        if (Utf8Parser.TryParse(cell, out value, out var used) && used == cell.Length)
        {
            return value >= min && value <= max;
        }

        value = 0;
        decimal? exact = Utf8Parser.TryParse(cell, out decimal number, out used) && used == cell.Length ? number : null;
        return TryReal(cell, out var real) && WholeNumber.TryFrom(real, exact, min, max, out value);
    }

    public static bool TryBool(ReadOnlySpan<byte> cell, out bool value)
    {
        value = cell.SequenceEqual("true"u8) || cell.SequenceEqual("True"u8) || cell.SequenceEqual("1"u8);
        return value || cell.SequenceEqual("false"u8) || cell.SequenceEqual("False"u8) || cell.SequenceEqual("0"u8);
    }

    /// <summary>
    /// Writes the cell as the JSON value a records body would carry for an input of
    /// <paramref name="elementType"/> (null: a column no input takes, written as its text). A cell
    /// that does not read as that type is written as its text, so the binder refuses it with the
    /// message a JSON body gets.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> cell, string? elementType)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (elementType)
        {
            case "float" or "double" or "float16" when IsMissing(cell):
                writer.WriteNullValue();
                break;
            case "float" or "double" or "float16" when TryReal(cell, out var real) && double.IsFinite(real):
                writer.WriteNumberValue(real);
                break;
            case "int64" or "int32" or "int16" or "int8" or "uint8" or "uint16" or "uint32" or "uint64" when cell.IsEmpty:
                writer.WriteNullValue();
                break;
            case "int64" or "int32" or "int16" or "int8" or "uint8" or "uint16" or "uint32" or "uint64" when TryInteger(cell, long.MinValue, long.MaxValue, out var integer):
                writer.WriteNumberValue(integer);
                break;
            case "bool" when TryBool(cell, out var flag):
                writer.WriteBooleanValue(flag);
                break;
            default:
                writer.WriteStringValue(cell);
                break;
        }
    }
}
