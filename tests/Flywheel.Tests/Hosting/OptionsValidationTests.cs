using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flywheel.Tests.Hosting;

/// <summary>A setting out of its range stops the start, naming the setting, instead of misbehaving at the first request that reads it.</summary>
public sealed class OptionsValidationTests
{
    public static TheoryData<string, string> BadSettings() => new()
    {
        { "Flywheel:Serving:MaxRequestBytes", "0" },
        { "Flywheel:Serving:SessionMemoryBudgetBytes", "-1" },
        { "Flywheel:Serving:IntraOpThreads", "-1" },
        { "Flywheel:Serving:PredictionLogSampleRate", "2.0" },
        { "Flywheel:Serving:PredictionLogSampleRate", "-0.1" },
        { "Flywheel:Serving:PredictionLogMaxPerSecond", "-1" },
        { "Flywheel:Serving:PredictionLogBatchSize", "0" },
        { "Flywheel:Serving:PredictionLogFlushInterval", "00:00:00" },
        { "Flywheel:Serving:PredictionLogQueueCapacity", "0" },
        { "Flywheel:Serving:DeploymentCacheDuration", "-00:00:01" },
        { "Flywheel:Serving:SignalFlushInterval", "00:00:00" },
        { "Flywheel:Datasets:MaxUploadBytes", "0" },
        { "Flywheel:Datasets:LandingPollInterval", "00:00:00" },
        { "Flywheel:Datasets:LandingMaxAttempts", "0" },
        { "Flywheel:Datasets:UploadBlockBytes", "0" },
        { "Flywheel:Datasets:ColumnStoreBytes", "-1" },
        { "Flywheel:Datasets:ColumnStoreMaxFileBytes", "-1" },
        { "Flywheel:Registry:MaxModelBytes", "0" },
        { "Flywheel:Events:Source", "" },
        { "Flywheel:Events:TopicEndpoint", "topics/flywheel" },
        { "Flywheel:Events:Webhook", "events/" },
        { "Flywheel:Storage:NamePrefix", "Test-1" },
        { "Flywheel:Storage:NamePrefix", "1test" },
        { "Flywheel:Storage:MaxRetries", "-1" },
        { "Flywheel:Storage:RetryDelay", "-00:00:01" },
        { "Flywheel:Storage:MaxRetryDelay", "-00:00:01" },
        { "Flywheel:Storage:NetworkTimeout", "00:00:00" },
        { "Flywheel:Storage:HealthTimeout", "00:00:00" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_setting_out_of_range_stops_the_start_naming_it(string setting, string value)
    {
        using var services = Services(new() { [setting] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting[(setting.LastIndexOf(':') + 1)..], failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_and_the_values_the_tests_use_start()
    {
        using var services = Services(new()
        {
            ["Flywheel:Serving:MaxRequestBytes"] = "200",
            ["Flywheel:Serving:SessionMemoryBudgetBytes"] = "1",
            ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200",
            ["Flywheel:Serving:DeploymentCacheDuration"] = "00:00:00.100",
            ["Flywheel:Datasets:LandingPollInterval"] = "00:00:00.200",
            ["Flywheel:Datasets:MaxUploadBytes"] = "1000",
            ["Flywheel:Registry:MaxModelBytes"] = "1000",
            ["Flywheel:Events:TopicEndpoint"] = "https://flywheel.westeurope-1.eventgrid.azure.net/api/events",
            ["Flywheel:Events:Webhook"] = "http://127.0.0.1:7071/events/",
            ["Flywheel:Storage:NamePrefix"] = $"t{Guid.NewGuid():N}"[..12],
            ["Flywheel:Storage:MaxRetries"] = "0",
            ["Flywheel:Storage:NetworkTimeout"] = "00:00:01",
        });

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging().AddFlywheel(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
}
