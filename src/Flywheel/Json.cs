using System.Text.Json;
using Flywheel.Contracts;

namespace Flywheel;

/// <summary>The server's read-only instances of <see cref="FlywheelJson"/>'s options, built once per process.</summary>
public static class Json
{
    /// <summary>Everything Flywheel stores or sends (<see cref="FlywheelJson.CreateOptions"/>).</summary>
    public static JsonSerializerOptions Options { get; } = ReadOnly(FlywheelJson.CreateOptions());

    /// <summary>Request bodies: strict numbers, unknown keys and misplaced nulls refused (<see cref="FlywheelJson.CreateRequestOptions"/>).</summary>
    public static JsonSerializerOptions Requests { get; } = ReadOnly(FlywheelJson.CreateRequestOptions());

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
