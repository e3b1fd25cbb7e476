using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Pipelines;

/// <summary>
/// The status of one orchestration, in Durable Functions' HTTP shape, identical from both hosts.
/// <see cref="Input"/>, <see cref="CustomStatus"/> and <see cref="Output"/> are the JSON the
/// orchestration stored, not strings of JSON.
/// </summary>
public sealed record PipelineStatus(
    string Name,
    string InstanceId,
    PipelineRuntimeStatus RuntimeStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Input,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? CustomStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Output,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime,
    PipelineFailure? Failure)
{
    /// <summary>The run has ended (completed, failed, terminated or canceled): it will not read another event.</summary>
    [JsonIgnore]
    public bool IsFinished => RuntimeStatus is PipelineRuntimeStatus.Completed or PipelineRuntimeStatus.Failed or PipelineRuntimeStatus.Terminated or PipelineRuntimeStatus.Canceled;

    /// <summary>Parses the runtime status (an engine enum's name) and the serialized payloads both engines hand back.</summary>
    public static PipelineStatus From(string name, string instanceId, string runtimeStatus, string? input, string? customStatus, string? output,
        DateTimeOffset created, DateTimeOffset updated, PipelineFailure? failure) =>
        new(name, instanceId, WireNames.Parse<PipelineRuntimeStatus>(runtimeStatus), Parse(input), Parse(customStatus), Parse(output), created, updated, failure);

    private static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // A failed orchestration's output can be a plain message.
            return JsonSerializer.SerializeToElement(json);
        }
    }
}

/// <summary>Why an orchestration failed.</summary>
public sealed record PipelineFailure(string ErrorType, string ErrorMessage);
