namespace Flywheel.Registry;

/// <summary>
/// How a model's traffic is split: weighted routes, an optional shadow, and the header whose value
/// pins a caller to a version. Every version it names must take the same inputs unless
/// <see cref="AllowSignatureChange"/> says the callers are ready for either.
/// </summary>
public sealed record Deployment(IReadOnlyList<DeploymentRoute> Routes, ShadowRoute? Shadow = null, string? Sticky = null, bool AllowSignatureChange = false)
{
    public const int MaxRoutes = 50;

    /// <summary>Every version this deployment sends traffic (or shadow traffic) to: those cannot be archived.</summary>
    public IEnumerable<int> Versions => Routes.Select(r => r.Version).Concat(Shadow is { } s ? [s.Version] : []);

    /// <summary>The errors that make this deployment unusable, empty when it is valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Routes is null || Routes.Count == 0)
        {
            problems.Add("routes: at least one route is needed");
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

        if (Routes.Any(r => r is null || r.Version < 1))
        {
            problems.Add("routes: each route needs a version number of 1 or more");
            return problems;
        }

        if (Shadow is { Version: < 1 })
        {
            problems.Add("shadow.version must be 1 or more");
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

public sealed record DeploymentRoute(int Version, int Weight);

public sealed record ShadowRoute(int Version, double Sample = 1.0);

/// <summary>A deployment as GET returns it: with the requests each version served on this instance since it started.</summary>
public sealed record DeploymentStatus(Deployment? Deployment, IReadOnlyDictionary<string, long> Requests, string Routing);
