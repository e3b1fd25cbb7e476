namespace Flywheel.Cli;

/// <summary>What the process returns, so a CI step can branch on it (the az CLI's 0/1/2/3, and 4 for a no from Flywheel).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything else that went wrong: the app unreachable, a server error, a failed pipeline.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: an unknown command or option, a missing argument, an unreadable input file.</summary>
    public const int Usage = 2;

    /// <summary>The dataset, model, version, alias, pipeline or run named does not exist (a 404).</summary>
    public const int NotFound = 3;

    /// <summary>Flywheel said no: a contract violation (422), a gate or canary that did not promote, a rejected approval.</summary>
    public const int Rejected = 4;
}
