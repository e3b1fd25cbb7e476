using Flywheel.Serving;
using Flywheel.Serving.Observation;
using Flywheel.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Flywheel.Tests.Serving;

public sealed class PredictionLogTests
{
    [Fact]
    public void Sample_is_capped_per_second_and_the_cap_refills_the_next_second()
    {
        var clock = new ManualClock();
        using var log = new PredictionLog(Azurite.Clients(), Options.Create(new ServingOptions { PredictionLogMaxPerSecond = 3 }), clock, Random.Shared, NullLogger<PredictionLog>.Instance);

        var first = Enumerable.Range(0, 10).Count(_ => log.Sampled());
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = Enumerable.Range(0, 10).Count(_ => log.Sampled());

        Assert.Equal(3, first);
        Assert.Equal(3, second);
    }

    [Fact]
    public void Zero_cap_logs_every_sampled_request_and_zero_rate_logs_none()
    {
        var clock = new ManualClock();
        using var all = new PredictionLog(Azurite.Clients(), Options.Create(new ServingOptions { PredictionLogMaxPerSecond = 0 }), clock, Random.Shared, NullLogger<PredictionLog>.Instance);
        using var none = new PredictionLog(Azurite.Clients(), Options.Create(new ServingOptions { PredictionLogSampleRate = 0 }), clock, Random.Shared, NullLogger<PredictionLog>.Instance);

        Assert.Equal(1000, Enumerable.Range(0, 1000).Count(_ => all.Sampled()));
        Assert.Equal(0, Enumerable.Range(0, 1000).Count(_ => none.Sampled()));
    }

    [Fact]
    public void A_partial_rate_samples_the_requests_its_injected_source_picks()
    {
        const int Seed = 26;
        using var log = new PredictionLog(Azurite.Clients(), Options.Create(new ServingOptions { PredictionLogSampleRate = 0.3, PredictionLogMaxPerSecond = 0 }), new ManualClock(), new Random(Seed), NullLogger<PredictionLog>.Instance);
        var draws = new Random(Seed);

        var expected = Enumerable.Range(0, 1000).Select(_ => draws.NextDouble() < 0.3).ToList();
        var sampled = Enumerable.Range(0, 1000).Select(_ => log.Sampled()).ToList();

        Assert.Equal(expected, sampled);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
