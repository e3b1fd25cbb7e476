namespace Flywheel.Contracts.Pipelines;

/// <summary>Where a batch scoring pipeline is, in its custom status, in the order it gets there.</summary>
public enum BatchScoringStep
{
    /// <summary>Reading the dataset version and the model, and cutting the chunks.</summary>
    Planning,

    /// <summary>Scoring the chunks.</summary>
    Scoring,

    /// <summary>Joining the chunks' outputs into one file.</summary>
    Assembling,

    /// <summary>Done; the output names the file.</summary>
    Completed,
}
