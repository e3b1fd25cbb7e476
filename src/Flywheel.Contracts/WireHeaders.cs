namespace Flywheel.Contracts;

/// <summary>The HTTP headers of Flywheel's API that are not standard ones: what server and client both name.</summary>
public static class WireHeaders
{
    /// <summary>The API key a local app was started with (<c>Flywheel:Access:ApiKey</c>).</summary>
    public const string ApiKey = "X-Api-Key";

    /// <summary>Who the caller is, recorded in the audit history where the app trusts it.</summary>
    public const string User = "X-Flywheel-User";

    /// <summary>A dataset upload's file name, recorded as the version's source.</summary>
    public const string FileName = "X-File-Name";

    /// <summary>A prediction's request id: sent to choose it, answered either way; feedback names it.</summary>
    public const string RequestId = "X-Request-Id";

    /// <summary>The version that answered a prediction.</summary>
    public const string ModelVersion = "X-Model-Version";

    /// <summary>How many record columns the model did not read (with <c>extraColumns=ignore</c>).</summary>
    public const string IgnoredColumns = "X-Ignored-Columns";

    /// <summary>Which record columns the model did not read, comma-separated, <c>...</c> last when some were left off.</summary>
    public const string IgnoredColumnNames = "X-Ignored-Column-Names";
}
