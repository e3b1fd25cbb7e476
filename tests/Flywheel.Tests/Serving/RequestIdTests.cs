using System.Collections.Concurrent;
using Flywheel.Serving.Routing;

namespace Flywheel.Tests.Serving;

/// <summary>The ids Flywheel issues (<see cref="RequestId.New"/>): 32 hex digits, valid as any caller's id, never issued twice, on any thread.</summary>
public sealed class RequestIdTests
{
    [Fact]
    public async Task Ids_issued_on_many_threads_are_32_hex_digits_and_all_distinct()
    {
        var ids = new ConcurrentBag<string>();
        // Many times the ids drawn per batch of random bytes, on each of several threads.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                ids.Add(RequestId.New());
            }
        })));

        Assert.Equal(4000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            Assert.Matches("^[0-9a-f]{32}$", id);
            Assert.True(RequestId.IsValid(id));
        });
    }
}
