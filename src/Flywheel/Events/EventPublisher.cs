using System.Net.Http.Json;
using Azure.Identity;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flywheel.Events;

/// <summary>
/// Publishes Flywheel's CloudEvents: to the Event Grid topic when configured, to a webhook when
/// configured, and always to the log. A failed delivery is logged, never thrown: the state change
/// the event reports has already happened and must not be undone by a notification.
/// </summary>
public sealed partial class EventPublisher(IOptions<EventOptions> options, IHttpClientFactory httpClients, ILogger<EventPublisher> logger)
{
    private readonly Lazy<EventGridPublisherClient?> _topic = new(() => options.Value.TopicEndpoint is { } endpoint
        ? new EventGridPublisherClient(endpoint, new DefaultAzureCredential())
        : null);

    public async Task PublishAsync<T>(string type, string subject, T data, CancellationToken cancellationToken)
    {
        var cloudEvent = new CloudEvent(options.Value.Source, type, BinaryData.FromObjectAsJson(data, Json.Options), "application/json", CloudEventDataFormat.Json)
        {
            Subject = subject,
        };
        LogEvent(logger, type, subject, cloudEvent.Id);

        try
        {
            if (_topic.Value is { } topic)
            {
                await topic.SendEventAsync(cloudEvent, cancellationToken).ConfigureAwait(false);
            }

            if (options.Value.Webhook is { } webhook)
            {
                using var client = httpClients.CreateClient(nameof(EventPublisher));
                using var content = new ByteArrayContent(new BinaryData(cloudEvent).ToArray());
                content.Headers.ContentType = new("application/cloudevents+json");
                using var response = await client.PostAsync(webhook, content, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or Azure.RequestFailedException or AuthenticationFailedException or TaskCanceledException)
        {
            LogDeliveryFailed(logger, ex, type, subject);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Event {Type} for {Subject} ({EventId})")]
    private static partial void LogEvent(ILogger logger, string type, string subject, string eventId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Event {Type} for {Subject} could not be delivered")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string type, string subject);
}
