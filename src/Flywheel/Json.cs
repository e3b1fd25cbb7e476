using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flywheel;

/// <summary>The JSON shape of everything Flywheel stores or sends: camelCase, enums as strings, nulls omitted.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// What Flywheel accepts in request bodies: the same shape, but an unknown key is an error (a
    /// misspelt <c>"colums"</c> must not silently mean "no columns"), so are numbers beyond the
    /// type's range and <c>null</c> where a value is required, and NaN/Infinity are not numbers.
    /// </summary>
    public static JsonSerializerOptions Requests { get; } = CreateRequests();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateRequests()
    {
        var options = new JsonSerializerOptions(Options)
        {
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
