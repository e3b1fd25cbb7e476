using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Versions;

/// <summary>Told of each new dataset version once it is committed (an HTTP upload or a landing drop, on either host): where retraining learns of new data.</summary>
public interface IDatasetVersionObserver
{
    /// <summary>Runs after the version is readable; a failure here must not undo or fail the upload, so implementations keep their own errors.</summary>
    Task VersionCreatedAsync(DatasetVersion version, CancellationToken cancellationToken);
}
