using Flywheel.Serving;
using Flywheel.Serving.Signal;
using Flywheel.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Flywheel.Tests.Retraining;

/// <summary>The per-version serving signal every instance writes, summed over instances and minutes on Azurite.</summary>
public sealed class ServingSignalTests
{
    [Fact]
    public async Task Two_instances_counts_of_one_version_are_summed_and_rewriting_a_minute_never_counts_twice()
    {
        var storage = Azurite.Clients();
        var model = $"sig-{Guid.NewGuid():N}"[..20];
        var clock = new StepClock();
        var minute = ServingSignal.MinuteOf(clock.GetUtcNow());
        var first = new ServingSignal(clock);
        var second = new ServingSignal(clock);
        first.Served(model, 2, 4.0);
        first.Served(model, 2, 40.0);
        first.Failed(model, 2);
        first.Served(model, 1, 3.0);
        second.Served(model, 2, 4.0);
        second.Compared(model, 2, agreed: true);
        second.Compared(model, 2, agreed: false);
        var a = new SignalStore(storage, new SignalInstance("instance-a"));
        var b = new SignalStore(storage, new SignalInstance("instance-b"));

        await a.WriteAsync(first.Snapshot(), CancellationToken.None);
        await a.WriteAsync(first.Snapshot(), CancellationToken.None);
        await b.WriteAsync(second.Snapshot(), CancellationToken.None);
        var totals = await a.SumAsync(model, 2, minute, minute + 1, CancellationToken.None);

        Assert.Equal((4L, 1L, 2L, 1L), (totals.Requests, totals.Errors, totals.ShadowCompared, totals.ShadowAgreed));
        Assert.Equal(2, totals.Latency[LatencyHistogram.Bucket(4.0)]);
        Assert.Equal(1, totals.Latency[LatencyHistogram.Bucket(40.0)]);
        Assert.Equal(1, (await a.SumAsync(model, 1, minute, minute + 1, CancellationToken.None)).Requests);
        Assert.Equal(0, (await a.SumAsync(model, 2, minute + 1, minute + 5, CancellationToken.None)).Requests);
    }

    [Fact]
    public async Task The_flusher_writes_on_stop_and_forgets_only_minutes_no_request_adds_to()
    {
        var storage = Azurite.Clients();
        var model = $"sig-{Guid.NewGuid():N}"[..20];
        var clock = new StepClock();
        var start = ServingSignal.MinuteOf(clock.GetUtcNow());
        var signal = new ServingSignal(clock);
        var store = new SignalStore(storage, new SignalInstance("flusher"));
        using var flusher = new SignalFlusher(signal, store, Options.Create(new ServingOptions()), clock, NullLogger<SignalFlusher>.Instance);
        signal.Served(model, 1, 2.0);
        clock.Advance(TimeSpan.FromMinutes(3));
        signal.Served(model, 1, 2.0);

        await flusher.FlushAsync(CancellationToken.None);
        signal.Served(model, 1, 2.0);
        await flusher.StopAsync(CancellationToken.None);

        Assert.Equal(3, (await store.SumAsync(model, 1, start, start + 4, CancellationToken.None)).Requests);
        Assert.Equal(2, (await store.SumAsync(model, 1, start + 3, start + 4, CancellationToken.None)).Requests);
        Assert.DoesNotContain(signal.Snapshot(), m => m.Minute == start);
    }

    /// <summary>Wall-clock time that moves only when told: minutes are what the signal keys on.</summary>
    private sealed class StepClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 7, 10, 0, 30, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
