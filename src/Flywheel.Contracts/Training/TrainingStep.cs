using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Training;

/// <summary>Where a training pipeline is, in its custom status, in the order it gets there.</summary>
public enum TrainingStep
{
    /// <summary>Splitting the dataset version into train, validation and test rows.</summary>
    Splitting,

    /// <summary>Fitting and scoring the trials.</summary>
    Searching,

    /// <summary>Fitting the winner on the training and validation rows.</summary>
    Refitting,

    /// <summary>Comparing the candidate with the champion on unseen rows.</summary>
    Gating,

    /// <summary>Waiting for the approval event (promotion <c>manual</c>).</summary>
    [JsonStringEnumMemberName("awaiting-approval")]
    AwaitingApproval,

    /// <summary>Writing the report.</summary>
    Reporting,

    /// <summary>Done; the output says what happened.</summary>
    Completed,
}
