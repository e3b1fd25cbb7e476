using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Columns;

/// <summary>How a UTF-8 cell is read as each column type. Shared by inference and by contract checks.</summary>
public static class ValueParser
{
    public static bool TryInteger(ReadOnlySpan<byte> value, out long result) =>
        Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length;

    /// <summary>
    /// A finite 64-bit float. Text beyond its range (<c>1e400</c>) and the infinities are not
    /// floats: silently reading them as Infinity would turn a column's mean, spread and histogram
    /// into Infinity and NaN.
    /// </summary>
    public static bool TryFloat(ReadOnlySpan<byte> value, out double result)
    {
        if (TryPlainDecimal(value, out result))
        {
            return true;
        }

        if (Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length)
        {
            return double.IsFinite(result);
        }

        // Exponents without a digit before them, and "nan" spellings, need the full parser.
        return value.Length is > 0 and < 32 && value.IndexOfAny("eEiInN"u8) >= 0
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) && !double.IsInfinity(result);
    }

    private static readonly double[] s_powersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    // Clinger's fast path: "-123.4567" with at most 15 digits is an exact integer divided by an
    // exact power of ten, so one IEEE division gives the correctly rounded double, several times
    // faster than the general parser that every other spelling still goes through.
    private static bool TryPlainDecimal(ReadOnlySpan<byte> value, out double result)
    {
        result = 0;
        var i = 0;
        var negative = false;
        if (value.Length > 0 && value[0] is (byte)'-' or (byte)'+')
        {
            negative = value[0] == (byte)'-';
            i = 1;
        }

        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        for (; i < value.Length; i++)
        {
            var b = value[i];
            if (b == (byte)'.' && fraction < 0)
            {
                fraction = 0;
                continue;
            }

            var d = b - (byte)'0';
            if ((uint)d > 9 || ++digits > 15)
            {
                return false;
            }

            mantissa = (mantissa * 10) + d;
            if (fraction >= 0)
            {
                fraction++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        result = mantissa / s_powersOfTen[Math.Max(fraction, 0)];
        result = negative ? -result : result;
        return true;
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

        if (TryIsoDate(value, out result))
        {
            return true;
        }

        Span<char> chars = stackalloc char[value.Length];
        var length = Encoding.UTF8.GetChars(value, chars);
        return DateTime.TryParse(chars[..length], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out result);
    }

    // The common ISO forms (yyyy-MM-dd, with " HH:mm:ss" or "THH:mm:ss") without the general parser's cost.
    private static bool TryIsoDate(ReadOnlySpan<byte> v, out DateTime result)
    {
        result = default;
        if (v.Length is not (10 or 19) || v[4] != (byte)'-' || v[7] != (byte)'-'
            || !Digits(v, 0, 4, out var year) || !Digits(v, 5, 2, out var month) || !Digits(v, 8, 2, out var day)
            || month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var hour = 0;
        var minute = 0;
        var second = 0;
        if (v.Length == 19 && (v[10] is not ((byte)'T' or (byte)' ') || v[13] != (byte)':' || v[16] != (byte)':'
            || !Digits(v, 11, 2, out hour) || !Digits(v, 14, 2, out minute) || !Digits(v, 17, 2, out second)
            || hour > 23 || minute > 59 || second > 59))
        {
            return false;
        }

        result = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> v, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = v[i] - (byte)'0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
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
