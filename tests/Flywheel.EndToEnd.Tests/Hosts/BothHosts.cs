namespace Flywheel.EndToEnd.Tests.Hosts;

/// <summary>
/// LocalHost and the Functions host, each on its own Azurite and task hub, started once for the
/// scenarios that share them (each scenario uses names of its own). Scenarios that stop storage,
/// kill a host or change its settings start hosts of their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class BothHosts : IAsyncLifetime
{
    /// <summary>Settings both shared hosts run with: small limits so the scenarios can reach them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Flywheel__Registry__MaxModelBytes"] = "1048576",
        ["Flywheel__Pipelines__BatchParallelism"] = "2",
        ["Flywheel__Serving__PredictionLogFlushInterval"] = "00:00:00.200",
    };

    public IReadOnlyList<HostUnderTest> Hosts { get; private set; } = [];

    public static async Task<IReadOnlyList<HostUnderTest>> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var starts = Enum.GetValues<HostKind>().Select(kind => HostUnderTest.StartAsync(kind, settings)).ToArray();
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Runs the scenario on every host at once and asserts the transcripts (status and normalized body
    /// of every call, in order) are the same: the Functions app must answer as LocalHost does.
    /// </summary>
    public static async Task SameOnEveryHostAsync(IReadOnlyList<HostUnderTest> hosts, Func<Session, Task> scenario)
    {
        var sessions = hosts.Select(host => new Session(host)).ToArray();
        await Task.WhenAll(sessions.Select(async session =>
        {
            try
            {
                await scenario(session);
            }
            catch (Exception ex) when (ex is not ScenarioException)
            {
                throw new ScenarioException(session.Host, ex.Message, ex);
            }
        }));

        var reference = sessions[0];
        foreach (var other in sessions.Skip(1))
        {
            for (var i = 0; i < Math.Max(reference.Transcript.Count, other.Transcript.Count); i++)
            {
                var expected = i < reference.Transcript.Count ? reference.Transcript[i] : "(nothing)";
                var actual = i < other.Transcript.Count ? other.Transcript[i] : "(nothing)";
                Assert.True(expected == actual, $"Call {i + 1} differs.\n{reference.Host.Kind}: {expected}\n{other.Host.Kind}: {actual}");
            }
        }
    }

    public Task SameOnEveryHostAsync(Func<Session, Task> scenario) => SameOnEveryHostAsync(Hosts, scenario);

    public async Task InitializeAsync() => Hosts = await StartAsync(Settings);

    public async Task DisposeAsync()
    {
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BothHostsCollection : ICollectionFixture<BothHosts>
{
    public const string Name = "both hosts";
}
