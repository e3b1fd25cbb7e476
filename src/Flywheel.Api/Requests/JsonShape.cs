using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Flywheel.Contracts;

namespace Flywheel.Api.Requests;

/// <summary>
/// Checks a request body against the shape of the record it binds to, before binding, so a
/// mistake is reported as the caller wrote it: the JSON path, the JSON type expected (never a
/// .NET type name) and, for a key that does not exist, the keys that do. The serializer's own
/// exceptions name .NET types and stop at the first mistake; this names up to <see cref="MaxErrors"/>.
/// </summary>
public static class JsonShape
{
    public const int MaxErrors = 10;

    public static IReadOnlyList<string> Check(JsonElement element, Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Check(element, options.GetTypeInfo(type), "$", options, errors);
        return errors;
    }

    /// <summary>Checks a value that is not a member of an object (the root, an array item, a dictionary value): null only where the type itself admits it.</summary>
    private static void Check(JsonElement element, JsonTypeInfo info, string path, JsonSerializerOptions options, List<string> errors)
    {
        if (errors.Count >= MaxErrors)
        {
            return;
        }

        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (Nullable.GetUnderlyingType(info.Type) is null && type != typeof(JsonElement) && type != typeof(object))
            {
                errors.Add($"{path}: expected {Expected(type, info)}, got null");
            }

            return;
        }

        CheckValue(element, info, type, path, options, errors);
    }

    private static void CheckValue(JsonElement element, JsonTypeInfo info, Type type, string path, JsonSerializerOptions options, List<string> errors)
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                CheckObject(element, info, path, options, errors);
                break;
            case JsonTypeInfoKind.Dictionary when element.ValueKind != JsonValueKind.Object:
                errors.Add($"{path}: expected an object, got {Describe(element)}");
                break;
            case JsonTypeInfoKind.Dictionary:
                var values = options.GetTypeInfo(info.ElementType!);
                foreach (var property in element.EnumerateObject())
                {
                    Check(property.Value, values, $"{path}.{property.Name}", options, errors);
                }

                break;
            case JsonTypeInfoKind.Enumerable when element.ValueKind != JsonValueKind.Array:
                errors.Add($"{path}: expected an array, got {Describe(element)}");
                break;
            case JsonTypeInfoKind.Enumerable:
                var items = options.GetTypeInfo(info.ElementType!);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, items, $"{path}[{index++}]", options, errors);
                }

                break;
            default:
                if (!Fits(element, type))
                {
                    errors.Add($"{path}: expected {Expected(type, info)}, got {Describe(element)}");
                }

                break;
        }
    }

    private static void CheckObject(JsonElement element, JsonTypeInfo info, string path, JsonSerializerOptions options, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected an object, got {Describe(element)}");
            return;
        }

        var comparison = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        // Computed, get-only members are written in responses but cannot be sent.
        var settable = info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null).ToList();
        var seen = new HashSet<string>(comparison);
        foreach (var property in element.EnumerateObject())
        {
            var member = settable.FirstOrDefault(p => comparison.Equals(p.Name, property.Name));
            if (member is null)
            {
                errors.Add($"{path}.{property.Name}: unknown key; the keys are {string.Join(", ", settable.Select(p => p.Name))}");
                continue;
            }

            seen.Add(member.Name);
            var memberInfo = options.GetTypeInfo(member.PropertyType);
            var memberType = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                CheckValue(property.Value, memberInfo, memberType, $"{path}.{property.Name}", options, errors);
            }
            else if (!member.IsSetNullable && !(member.AssociatedParameter?.IsNullable ?? false) && memberType != typeof(JsonElement))
            {
                // A member's nullability is its declaration's (nullable annotations), not its type's.
                errors.Add($"{path}.{property.Name}: expected {Expected(memberType, memberInfo)}, got null");
            }
        }

        foreach (var missing in settable.Where(p => (p.IsRequired || p.AssociatedParameter is { IsNullable: false, HasDefaultValue: false }) && !seen.Contains(p.Name)))
        {
            errors.Add($"{path}.{missing.Name}: required");
        }
    }

    private static bool Fits(JsonElement element, Type type)
    {
        if (type == typeof(JsonElement) || type == typeof(object))
        {
            return true;
        }

        if (type == typeof(string) || type == typeof(Uri))
        {
            return element.ValueKind == JsonValueKind.String;
        }

        if (type == typeof(VersionReference))
        {
            return element.ValueKind == JsonValueKind.Number ? element.TryGetInt32(out var number) && number > 0
                : element.ValueKind == JsonValueKind.String && VersionReference.TryParse(element.GetString(), aliases: true, out _);
        }

        if (type == typeof(bool))
        {
            return element.ValueKind is JsonValueKind.True or JsonValueKind.False;
        }

        if (type.IsEnum)
        {
            return element.ValueKind == JsonValueKind.String && EnumNames(type).Contains(element.GetString(), StringComparer.OrdinalIgnoreCase);
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out _);
        }

        if (type == typeof(TimeSpan))
        {
            return element.ValueKind == JsonValueKind.String && TimeSpan.TryParse(element.GetString(), CultureInfo.InvariantCulture, out _);
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => element.TryGetInt32(out _),
            TypeCode.Int64 => element.TryGetInt64(out _),
            TypeCode.Int16 => element.TryGetInt16(out _),
            TypeCode.Byte => element.TryGetByte(out _),
            TypeCode.UInt32 => element.TryGetUInt32(out _),
            TypeCode.UInt64 => element.TryGetUInt64(out _),
            TypeCode.Double => element.TryGetDouble(out var d) && double.IsFinite(d),
            TypeCode.Single => element.TryGetSingle(out var f) && float.IsFinite(f),
            TypeCode.Decimal => element.TryGetDecimal(out _),
            _ => true,
        };
    }

    /// <summary>What a caller should send, in JSON's words.</summary>
    private static string Expected(Type type, JsonTypeInfo info)
    {
        if (info.Kind == JsonTypeInfoKind.Object || info.Kind == JsonTypeInfoKind.Dictionary)
        {
            return "an object";
        }

        if (info.Kind == JsonTypeInfoKind.Enumerable)
        {
            return "an array";
        }

        if (type == typeof(VersionReference))
        {
            return "a version: a number of 1 or more, \"latest\" or an alias";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", EnumNames(type).Select(n => $"\"{n}\""));
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.String => "a string",
            TypeCode.Boolean => "true or false",
            TypeCode.Int32 => "a whole number from -2147483648 to 2147483647",
            TypeCode.Int16 => "a whole number from -32768 to 32767",
            TypeCode.Byte => "a whole number from 0 to 255",
            TypeCode.Int64 or TypeCode.UInt32 or TypeCode.UInt64 => "a whole number",
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "a finite number",
            TypeCode.DateTime => "an ISO 8601 date and time string",
            _ when type == typeof(DateTimeOffset) => "an ISO 8601 date and time string",
            _ when type == typeof(TimeSpan) => "a duration string such as \"00:05:00\"",
            _ => "a value",
        };
    }

    private static IEnumerable<string> EnumNames(Type type) =>
        type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).Select(field =>
            field.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false) is [System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute named]
                ? named.Name
                : JsonNamingPolicy.CamelCase.ConvertName(field.Name));

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => element.GetString() is { Length: <= 40 } text ? $"\"{text}\"" : "a string",
        JsonValueKind.Number => element.GetRawText() is { Length: <= 40 } number ? number : "a number",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };
}
