using Azure;

namespace Flywheel.Storage;

/// <summary>Which failures of a storage call are worth retrying later: the service or the network, not the request, and nothing else (these alone answer 503).</summary>
public static class StorageFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or 500 or 502 or 503 or 504 } => true,
        HttpRequestException => true,
        // Azure.Core's network timeout. A bare TimeoutException is not one: RegexMatchTimeoutException and
        // our own timeouts are TimeoutExceptions too, and answering them "storage is unavailable" misleads.
        TaskCanceledException { InnerException: TimeoutException and not System.Text.RegularExpressions.RegexMatchTimeoutException } => true,
        // The storage SDK's retries end in an AggregateException of each attempt's transport failure.
        AggregateException { InnerExceptions.Count: > 0 } many => many.InnerExceptions.All(IsTransient),
        _ => false,
    };
}
