using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flywheel.Contracts;

/// <summary>
/// The JSON options Flywheel's records are written and read with, as factories: the server makes
/// them read-only once, and a client builds its own from the same factory (adding a source-generated
/// resolver if it wants), so both sides agree on camelCase, enums as strings and omitted nulls.
/// </summary>
public static class FlywheelJson
{
    /// <summary>
    /// Everything Flywheel stores or sends: the web defaults (camelCase, case-insensitive reads),
    /// enums as camelCase strings unless a member names its own, nulls omitted, and NaN/Infinity
    /// written as JSON strings rather than failing a whole answer.
    /// </summary>
    public static JsonSerializerOptions CreateOptions() => Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// Gives <paramref name="options"/> (made with the web defaults) Flywheel's settings: how a host configures the
    /// options it owns, such as ASP.NET Core's for typed results, so they write what <see cref="CreateOptions"/> writes.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }

    /// <summary>
    /// What Flywheel accepts in request bodies: the same shape, but an unknown key is an error (a
    /// misspelt <c>"colums"</c> must not silently mean "no columns"), so are numbers beyond the
    /// type's range and <c>null</c> where a value is required, and NaN/Infinity are not numbers.
    /// </summary>
    public static JsonSerializerOptions CreateRequestOptions()
    {
        var options = CreateOptions();
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        return options;
    }
}
