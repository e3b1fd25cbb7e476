using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Registry;

namespace Flywheel.Contracts;

/// <summary>
/// Which version a request means: a number, <c>latest</c>, or (for models) an alias. Parsed once
/// where the text arrives (a route, a request body) and resolved in one place, <see cref="Resolve"/>,
/// against a dataset's or model's latest number and aliases.
/// </summary>
[JsonConverter(typeof(VersionReferenceJsonConverter))]
public readonly record struct VersionReference
{
    /// <summary>The one spelling of the newest version, in routes, bodies and links; never an alias.</summary>
    public const string LatestText = "latest";

    private VersionReference(int? number, string? alias)
    {
        Number = number;
        Alias = alias;
    }

    /// <summary>The newest version (the default value).</summary>
    public static VersionReference Latest => default;

    public int? Number { get; }

    public string? Alias { get; }

    public bool IsLatest => Number is null && Alias is null;

    public static VersionReference Of(int number) =>
        number > 0 ? new VersionReference(number, null) : throw new ArgumentOutOfRangeException(nameof(number), number, "Versions start at 1.");

    /// <summary>Parses <paramref name="text"/>; without <paramref name="aliases"/> only numbers and <c>latest</c> are versions.</summary>
    /// <exception cref="FlywheelException">A 400 (invalid input) naming what was sent and what is accepted.</exception>
    public static VersionReference Parse(string? text, bool aliases = true) =>
        TryParse(text, aliases, out var reference)
            ? reference
            : throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidVersion, aliases
                ? $"'{text}' is not a version: use a number, 'latest' or an alias ({AliasName.Rule})."
                : $"'{text}' is not a version: use a number or 'latest'.");

    public static bool TryParse(string? text, bool aliases, out VersionReference reference)
    {
        reference = Latest;
        if (string.IsNullOrEmpty(text) || string.Equals(text, LatestText, StringComparison.OrdinalIgnoreCase))
        {
            return !string.IsNullOrEmpty(text);
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            reference = new VersionReference(number, null);
            return number > 0;
        }

        reference = new VersionReference(null, text);
        return aliases && AliasName.IsValid(text);
    }

    /// <summary>The version number this names, given the newest number and the aliases; null when there is none (no versions, an unknown alias).</summary>
    public int? Resolve(int? latest, IReadOnlyDictionary<string, int>? aliases = null) =>
        Number ?? (Alias is null ? latest : aliases is not null && aliases.TryGetValue(Alias, out var aliased) ? aliased : null);

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? Alias ?? LatestText;
}

/// <summary>
/// A version in a JSON body as users write it, a number (<c>3</c>) or text (<c>"3"</c>, <c>"latest"</c>,
/// an alias); written back as a number when it is one. Whether aliases are allowed is up to the
/// reader (a dataset has none), so any valid alias name is read here.
/// </summary>
public sealed class VersionReferenceJsonConverter : JsonConverter<VersionReference>
{
    public override VersionReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var number) && number > 0 => VersionReference.Of(number),
        JsonTokenType.String when VersionReference.TryParse(reader.GetString(), aliases: true, out var reference) => reference,
        _ => throw new JsonException($"expected a version: a number of 1 or more, \"latest\" or an alias ({AliasName.Rule})"),
    };

    public override void Write(Utf8JsonWriter writer, VersionReference value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }
}
