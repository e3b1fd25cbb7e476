using Azure.Storage.Blobs;
using Flywheel.Datasets.Ingest;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Datasets;

public sealed class LandingFunctions(LandingProcessor landing)
{
    /// <summary>
    /// A drop in landing/{name}/{file}, delivered by Event Grid (the only blob source Flex Consumption
    /// supports). An exception leaves the drop in landing and lets the host retry the event.
    /// </summary>
    [Function(nameof(OnLandingBlob))]
    public Task OnLandingBlob(
        [BlobTrigger("landing/{name}/{file}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        string name,
        string file,
        CancellationToken cancellationToken) =>
        landing.ProcessAsync($"{name}/{file}", cancellationToken);
}
