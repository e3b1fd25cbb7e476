using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Registry;

/// <summary>
/// How a model's traffic is split: weighted routes, an optional shadow, and the header whose value
/// pins a caller to a version. Routes and the shadow name versions by reference (a number,
/// <c>latest</c> or an alias), resolved whenever the serving target is read, so a route to
/// <c>champion</c> follows every promotion. Every version it resolves to must take the same inputs
/// unless <see cref="AllowSignatureChange"/> says the callers are ready for either.
/// </summary>
public sealed record Deployment(IReadOnlyList<DeploymentRoute> Routes, ShadowRoute? Shadow = null, string? Sticky = null, bool AllowSignatureChange = false)
{
    public const int MaxRoutes = 50;

    /// <summary>The aliases the routes and the shadow follow: those cannot be deleted while it does.</summary>
    /// <remarks>Not on the wire: a deployment read back must be a body the PUT takes as it is.</remarks>
    [JsonIgnore]
    public IEnumerable<string> Aliases => Routes.Select(r => r.Version.Alias).Append(Shadow?.Version.Alias).OfType<string>().Distinct(StringComparer.Ordinal);

    /// <summary>
    /// The routes as they stand given the model's newest version and aliases: each declared route
    /// with the version it resolves to (null when its alias points nowhere), and the shadow's version.
    /// </summary>
    public ResolvedDeployment Resolve(int latest, IReadOnlyDictionary<string, int> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        return new ResolvedDeployment(
            [.. Routes.Select(r => new ResolvedRoute(r.Version, r.Version.Resolve(latest > 0 ? latest : null, aliases), r.Weight))],
            Shadow?.Version.Resolve(latest > 0 ? latest : null, aliases));
    }

    /// <summary>The errors that make this deployment unusable, empty when it is valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Routes is null || Routes.Count == 0)
        {
            problems.Add("routes: at least one route is needed (DELETE the deployment to serve the champion, else the latest version)");
            return problems;
        }

        if (Routes.Count > MaxRoutes)
        {
            problems.Add($"routes: at most {MaxRoutes} routes");
        }

        if (Sticky is { Length: > 256 })
        {
            problems.Add("sticky: a header name has at most 256 characters");
        }

        if (Routes.Any(r => r is null))
        {
            problems.Add("routes: each route needs a version (a number, \"latest\" or an alias) and a weight");
            return problems;
        }

        if (Routes.Any(r => r.Weight < 0))
        {
            problems.Add("routes: weights must not be negative");
        }

        if (Routes.Sum(r => (long)r.Weight) <= 0)
        {
            problems.Add("routes: the weights must add up to more than 0");
        }

        if (Routes.GroupBy(r => r.Version).Any(g => g.Count() > 1))
        {
            problems.Add("routes: each version may appear once");
        }

        if (Shadow is { Sample: < 0 or > 1 })
        {
            problems.Add("shadow.sample must be within [0, 1]");
        }

        return problems;
    }
}

/// <param name="Version">A number, <c>latest</c> or an alias, resolved when the serving target is read.</param>
public sealed record DeploymentRoute(VersionReference Version, int Weight);

public sealed record ShadowRoute(VersionReference Version, double Sample = 1.0);

/// <summary>A declared route and the version it sends traffic to now (null when it names an alias that points nowhere: it gets none).</summary>
public sealed record ResolvedRoute(VersionReference Declared, int? Version, int Weight);

/// <summary>A deployment's routes as they resolve now, and the shadow's version.</summary>
public sealed record ResolvedDeployment(IReadOnlyList<ResolvedRoute> Routes, int? Shadow)
{
    /// <summary>Every version that receives traffic (or shadow traffic) now: those cannot be archived.</summary>
    public IEnumerable<int> Versions => Routes.Where(r => r.Weight > 0).Select(r => r.Version).Append(Shadow).OfType<int>().Distinct();

    /// <summary>The routes with traffic, merged by version (two references to one version add their weights), in declared order.</summary>
    public IReadOnlyList<(int Version, int Weight)> Weights() =>
        [.. Routes.Where(r => r.Version is not null && r.Weight > 0).GroupBy(r => r.Version!.Value).Select(g => (g.Key, g.Sum(r => r.Weight)))];
}

/// <summary>
/// A deployment as GET returns it: as declared and as it resolves now (<see cref="Resolved"/>), with
/// the requests each version served on this instance since it started, and the serving signal of
/// every version over the last <see cref="SignalMinutes"/> minutes summed over all instances (<see cref="Signal"/>).
/// </summary>
public sealed record DeploymentStatus(Deployment? Deployment, IReadOnlyDictionary<string, long> Requests, string Routing, ResolvedDeployment? Resolved = null)
{
    /// <summary>The minutes <see cref="Signal"/> covers: the current one and those before it.</summary>
    public const int SignalMinutes = 15;

    /// <summary>Each version that served (live or as the shadow) in the last <see cref="SignalMinutes"/> minutes, by version; null when none did.</summary>
    public IReadOnlyList<VersionSignal>? Signal { get; init; }
}

/// <summary>
/// One version's serving signal over a window, summed over all instances: what a canary is judged on.
/// <paramref name="ErrorRate"/> is null without requests, <paramref name="LatencyP99Ms"/> without answered ones (the
/// upper bound of the latency bucket the 99th percentile falls in: at most about 9% above it).
/// </summary>
/// <param name="ShadowCompared">Requests this version scored as the shadow and compared with the answering version.</param>
/// <param name="Requests">Live requests this version answered or failed; its shadow scoring is counted apart (<paramref name="ShadowRequests"/>).</param>
/// <param name="ShadowAgreed">Of those, the ones whose answers agreed (the same label per row, or a close number).</param>
/// <param name="ShadowRequests">Requests this version scored as the shadow, failures included.</param>
/// <param name="ShadowErrors">Of those, the ones its scoring failed.</param>
public sealed record VersionSignal(int Version, long Requests, long Errors, double? ErrorRate, double? LatencyP99Ms, long ShadowCompared, long ShadowAgreed,
    long ShadowRequests = 0, long ShadowErrors = 0);
