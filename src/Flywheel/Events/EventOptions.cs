namespace Flywheel.Events;

/// <summary>Where events go, bound from <c>Flywheel:Events</c>. With neither set, events are only logged.</summary>
public sealed class EventOptions
{
    public const string SectionName = "Flywheel:Events";

    /// <summary>Event Grid custom topic endpoint; the app's identity sends to it (EventGrid Data Sender).</summary>
    public Uri? TopicEndpoint { get; set; }

    /// <summary>Any HTTP endpoint that receives each event as a structured-mode CloudEvent POST (local development).</summary>
    public Uri? Webhook { get; set; }

    public string Source { get; set; } = "/flywheel";
}
