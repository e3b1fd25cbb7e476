using System.IO.Hashing;
using Flywheel.Contracts.Registry;
using System.Text;

namespace Flywheel.Serving.Routing;

/// <summary>
/// What <c>POST api/models/{name}/predict</c> resolves against, read from the model's head row:
/// its deployment (weighted routes, sticky header, shadow) resolved against the aliases and the
/// newest version as they were read, else the champion alias, else the latest version.
/// </summary>
/// <param name="Archived">Versions archived so far: no route, pinned or not, serves them.</param>
public sealed record ServingTarget(string Model, int Latest, int? Champion, Deployment? Deployment, IReadOnlySet<int> Archived, ResolvedDeployment? Resolved = null)
{
    private readonly IReadOnlyList<(int Version, int Weight)> _routes = Resolved?.Weights() ?? [];
    private readonly long _total = Resolved?.Weights().Sum(r => (long)r.Weight) ?? 0;

    /// <summary>The target of a model whose head row holds these, with its deployment resolved against them.</summary>
    public static ServingTarget Read(string model, int latest, IReadOnlyDictionary<string, int> aliases, Deployment? deployment, IReadOnlySet<int> archived)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        return new ServingTarget(model, latest, aliases.TryGetValue(AliasName.Champion, out var champion) ? champion : null, deployment, archived, deployment?.Resolve(latest, aliases));
    }

    /// <summary>The version a model answers with when no deployment routes it: the champion, else the latest.</summary>
    public static int ChampionOrLatest(IReadOnlyDictionary<string, int> aliases, int latest)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        return aliases.TryGetValue(AliasName.Champion, out var champion) ? champion : latest;
    }

    /// <summary>The version shadow traffic goes to now, if any.</summary>
    public int? ShadowVersion => Resolved?.Shadow;

    /// <summary>Whether a route (pinned or not) may serve <paramref name="version"/>: archived versions do not serve.</summary>
    public bool Serves(int version) => !Archived.Contains(version);

    /// <exception cref="ModelNotFoundException">The version is archived (404).</exception>
    public int Serving(int version) =>
        Serves(version) ? version : throw ModelNotFoundException.Archived(Model, version);

    /// <summary>
    /// The version for one request. With a sticky key the choice is a hash of it, so the same caller
    /// always lands on the same version (for as long as the routes stay the same). A deployment none
    /// of whose routes resolves (every alias it follows deleted) serves as if there were none.
    /// </summary>
    public int Choose(string? stickyKey, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (_total <= 0)
        {
            return Champion ?? Latest;
        }

        var point = stickyKey is null
            ? random.NextInt64(_total)
            : (long)(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(stickyKey)) % (ulong)_total);
        foreach (var (version, weight) in _routes)
        {
            if (point < weight)
            {
                return version;
            }

            point -= weight;
        }

        return _routes[^1].Version;
    }

    public string Describe() => _total > 0 ? "deployment" : Champion is not null ? "champion alias" : "latest version";
}
