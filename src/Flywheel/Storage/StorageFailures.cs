using Azure;

namespace Flywheel.Storage;

/// <summary>Which failures of a storage call are worth retrying later: the service or the network, not the request.</summary>
public static class StorageFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or 500 or 502 or 503 or 504 } => true,
        HttpRequestException or TimeoutException => true,
        // The storage SDK's retries end in an AggregateException of each attempt's transport failure.
        AggregateException { InnerExceptions.Count: > 0 } many => many.InnerExceptions.All(IsTransient),
        _ => false,
    };
}
