using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flywheel.Contracts;

/// <summary>
/// An enum member's text as <see cref="FlywheelJson"/> writes it (its <see cref="JsonStringEnumMemberNameAttribute"/>,
/// else its camelCase name), for the places that hold the text outside a JSON document: table
/// properties, report pages, log fields. Reading back is exact (ordinal), as stored text is.
/// </summary>
public static class WireNames
{
    /// <summary>The text of <paramref name="value"/> on the wire.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(TEnum).Name}.");

    /// <summary>The member <paramref name="text"/> names; false when it names none.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return text is not null && Names<TEnum>.ByName.TryGetValue(text, out value);
    }

    /// <summary>The member <paramref name="text"/> names.</summary>
    /// <exception cref="FormatException">It names none (stored text this version does not know).</exception>
    public static TEnum Parse<TEnum>(string? text)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name}: use {string.Join(", ", Names<TEnum>.ByName.Keys)}.");

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue = typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToFrozenDictionary(f => (TEnum)f.GetValue(null)!, f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name));

        public static readonly FrozenDictionary<string, TEnum> ByName = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
