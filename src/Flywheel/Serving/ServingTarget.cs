using System.IO.Hashing;
using Flywheel.Registry;
using System.Text;

namespace Flywheel.Serving;

/// <summary>
/// What <c>POST api/models/{name}/predict</c> resolves against, read from the model's head row:
/// its deployment (weighted routes, sticky header, shadow), else the champion alias, else the latest version.
/// </summary>
/// <param name="Archived">Versions archived so far: no route, pinned or not, serves them.</param>
public sealed record ServingTarget(string Model, int Latest, int? Champion, Deployment? Deployment, IReadOnlySet<int> Archived)
{
    public const string ChampionAlias = "champion";

    /// <summary>The version a model answers with when no deployment routes it: the champion, else the latest.</summary>
    public static int ChampionOrLatest(IReadOnlyDictionary<string, int> aliases, int latest)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        return aliases.TryGetValue(ChampionAlias, out var champion) ? champion : latest;
    }

    /// <summary>Whether a route (pinned or not) may serve <paramref name="version"/>: archived versions do not serve.</summary>
    public bool Serves(int version) => !Archived.Contains(version);

    /// <exception cref="ModelNotFoundException">The version is archived (404).</exception>
    public int Serving(int version) =>
        Serves(version) ? version : throw ModelNotFoundException.Archived(Model, version);

    /// <summary>
    /// The version for one request. With a sticky key the choice is a hash of it, so the same caller
    /// always lands on the same version (for as long as the routes stay the same).
    /// </summary>
    public int Choose(string? stickyKey, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Deployment is not { Routes.Count: > 0 } deployment)
        {
            return Champion ?? Latest;
        }

        var total = deployment.Routes.Sum(r => (long)r.Weight);
        var point = stickyKey is null
            ? random.NextInt64(total)
            : (long)(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(stickyKey)) % (ulong)total);
        foreach (var route in deployment.Routes)
        {
            if (point < route.Weight)
            {
                return route.Version;
            }

            point -= route.Weight;
        }

        return deployment.Routes[^1].Version;
    }

    public string Describe() => Deployment is { Routes.Count: > 0 } ? "deployment" : Champion is not null ? "champion alias" : "latest version";
}
