using Azure.Storage.Blobs;
using Flywheel.Datasets.Ingest;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Datasets;

public sealed class LandingFunctions(LandingProcessor landing)
{
    /// <summary>
    /// A drop in landing/{name}/{file}, announced by Event Grid (the only blob source Flex Consumption
    /// supports). The blob extension's webhook puts each event on the host's own blob-trigger queue
    /// and answers Event Grid at once, so Event Grid's retries (and landing-deadletter) cover only the
    /// webhook delivery, never this function. A drop that cannot be ingested is quarantined and the
    /// function succeeds; a storage failure throws, and that internal queue runs the function again,
    /// up to host.json's extensions.queues.maxDequeueCount times before it moves the message to
    /// webjobs-blobtrigger-poison (infra alerts on it). Flywheel:Datasets:LandingMaxAttempts equals
    /// that count, so the last attempt quarantines the drop instead of throwing: only a drop whose
    /// quarantine fails too reaches the poison queue, and it stays in landing/ to be dropped again.
    /// </summary>
    [Function(nameof(OnLandingBlob))]
    public Task OnLandingBlob(
        [BlobTrigger("landing/{name}/{file}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        string name,
        string file,
        CancellationToken cancellationToken) =>
        landing.ProcessAsync($"{name}/{file}", cancellationToken);
}
