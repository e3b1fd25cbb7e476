using Azure.Storage.Blobs;
using Flywheel.Datasets.Ingest;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Datasets;

public sealed class LandingFunctions(LandingProcessor landing)
{
    /// <summary>
    /// A drop in landing/{name}/{file}, delivered by Event Grid (the only blob source Flex Consumption
    /// supports). A drop that cannot be ingested is quarantined and the function succeeds (no poison
    /// redelivery); a storage failure throws, so Event Grid redelivers the event, and after
    /// Flywheel:Datasets:LandingMaxAttempts of those the drop is quarantined too.
    /// </summary>
    [Function(nameof(OnLandingBlob))]
    public Task OnLandingBlob(
        [BlobTrigger("landing/{name}/{file}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        string name,
        string file,
        CancellationToken cancellationToken) =>
        landing.ProcessAsync($"{name}/{file}", cancellationToken);
}
