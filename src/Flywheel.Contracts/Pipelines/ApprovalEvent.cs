using System.Text.Json;
using Flywheel.Contracts;

namespace Flywheel.Contracts.Pipelines;

/// <summary>The body of <c>POST api/pipelines/{id}/events/approval</c>.</summary>
public sealed record ApprovalEvent(bool Approved, string? By = null, string? Comment = null)
{
    public const string Name = "approval";

    private static readonly JsonSerializerOptions s_json = ReadOnly(FlywheelJson.CreateOptions());

    /// <summary>
    /// Whether the engine hands an event of this name to the approval wait: Durable Task matches
    /// event names ignoring case, so "Approval" reaches it as surely as "approval" does.
    /// </summary>
    public static bool Reaches(string eventName) => string.Equals(eventName, Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The approval in a payload the engine delivered, or null with why it is not one. The endpoint
    /// refuses such payloads, but anything that raises events on the engine directly can still send
    /// one, and a wait that threw would throw again on every replay.
    /// </summary>
    public static ApprovalEvent? Read(JsonElement? payload, out string? problem)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("approved", out var approved) || approved.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problem = "an approval is an object with \"approved\": true or false";
            return null;
        }

        try
        {
            problem = null;
            return body.Deserialize<ApprovalEvent>(s_json);
        }
        catch (JsonException ex)
        {
            problem = $"the approval does not fit at {ex.Path ?? "$"}";
            return null;
        }
    }

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
