namespace Flywheel.Api.Routing;

/// <summary>
/// Every HTTP route, defined once. The Functions host puts these in <c>HttpTrigger</c> attributes
/// (host.json sets an empty route prefix) and LocalHost maps the same strings, so the two cannot
/// drift apart; a test compares both route tables.
/// </summary>
public static class Routes
{
    public const string Health = "api/health";
}
