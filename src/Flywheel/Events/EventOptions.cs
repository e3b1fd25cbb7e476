using System.ComponentModel.DataAnnotations;

namespace Flywheel.Events;

/// <summary>Where events go, bound from <c>Flywheel:Events</c>. With neither set, events are only logged.</summary>
public sealed class EventOptions : IValidatableObject
{
    public const string SectionName = "Flywheel:Events";

    /// <summary>Event Grid custom topic endpoint; the app's identity sends to it (EventGrid Data Sender).</summary>
    public Uri? TopicEndpoint { get; set; }

    /// <summary>Any HTTP endpoint that receives each event as a structured-mode CloudEvent POST (local development).</summary>
    public Uri? Webhook { get; set; }

    /// <summary>The CloudEvents <c>source</c> of every event; subscribers filter on it, so it cannot be empty.</summary>
    [Required]
    public string Source { get; set; } = "/flywheel";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A relative endpoint would only fail at the first event, long after the start that could have said so
        // (an empty value, what an app setting left blank binds to, is not checked).
        if (TopicEndpoint is { IsAbsoluteUri: false, OriginalString.Length: > 0 })
        {
            yield return new ValidationResult($"{SectionName}:{nameof(TopicEndpoint)} '{TopicEndpoint}' must be an absolute https URI.", [nameof(TopicEndpoint)]);
        }

        if (Webhook is { IsAbsoluteUri: false, OriginalString.Length: > 0 })
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Webhook)} '{Webhook}' must be an absolute http(s) URI.", [nameof(Webhook)]);
        }
    }
}
