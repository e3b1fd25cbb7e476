using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Flywheel.Datasets.Profiling;

/// <summary>How a UTF-8 cell is read as each column type. Shared by inference and by contract checks.</summary>
public static class ValueParser
{
    public static bool TryInteger(ReadOnlySpan<byte> value, out long result) =>
        Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length;

    public static bool TryFloat(ReadOnlySpan<byte> value, out double result)
    {
        if (Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length)
        {
            return true;
        }

        // Exponents without a digit before them, and "inf"/"nan" spellings, need the full parser.
        return value.Length is > 0 and < 32 && value.IndexOfAny("eEiInN"u8) >= 0
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
    }

    public static bool TryBoolean(ReadOnlySpan<byte> value, out bool result)
    {
        if (Ascii.EqualsIgnoreCase(value, "true"u8))
        {
            result = true;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(value, "false"u8))
        {
            result = false;
            return true;
        }

        result = false;
        return false;
    }

    public static bool TryDateTime(ReadOnlySpan<byte> value, out DateTime result)
    {
        result = default;

        // Cheap shape test first: dates start with a digit and have a date separator.
        if (value.Length is < 8 or > 40 || !char.IsAsciiDigit((char)value[0]) || value.IndexOfAny("-/"u8) < 0)
        {
            return false;
        }

        Span<char> chars = stackalloc char[value.Length];
        var length = Encoding.UTF8.GetChars(value, chars);
        return DateTime.TryParse(chars[..length], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out result);
    }

    public static bool Fits(ReadOnlySpan<byte> value, ColumnType type) => type switch
    {
        ColumnType.Integer => TryInteger(value, out _),
        ColumnType.Float => TryFloat(value, out _),
        ColumnType.Boolean => TryBoolean(value, out _),
        ColumnType.DateTime => TryDateTime(value, out _),
        _ => true,
    };
}
