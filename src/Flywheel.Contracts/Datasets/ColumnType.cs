using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Datasets;

/// <summary>The inferred type of a column, from the narrowest type every non-missing value fits.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnType>))]
public enum ColumnType
{
    [JsonStringEnumMemberName("integer")]
    Integer,

    [JsonStringEnumMemberName("float")]
    Float,

    [JsonStringEnumMemberName("boolean")]
    Boolean,

    [JsonStringEnumMemberName("datetime")]
    DateTime,

    [JsonStringEnumMemberName("string")]
    String,
}
