using System.Reflection;
using System.Text.Json.Nodes;
using Flywheel.Functions.Hosting;
using Flywheel.Functions.Monitoring;
using Flywheel.LocalHost.Pipelines;
using Flywheel.Monitoring;
using Flywheel.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flywheel.Functions.Tests;

/// <summary>Settings the Functions platform reads as well as the app: the timer's schedule, trace sampling, Durable's polling.</summary>
public sealed class HostSettingsTests
{
    private const string EveryFiveMinutes = "0 */5 * * * *";

    private static JsonNode Read(string path) => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, path)))!;

    [Fact]
    public void Monitoring_timer_binds_a_flat_setting_name_that_linux_app_settings_can_hold()
    {
        var parameter = typeof(MonitoringFunctions).GetMethod(nameof(MonitoringFunctions.MonitorModels))!.GetParameters()[0];
        var schedule = parameter.GetCustomAttribute<TimerTriggerAttribute>()!.Schedule;

        Assert.Equal($"%{MonitoringOptions.ScheduleSetting}%", schedule);
        Assert.DoesNotContain(':', schedule);
        Assert.DoesNotContain('.', schedule);
    }

    [Fact]
    public void The_functions_host_defaults_every_models_schedule_to_the_setting_its_timer_fires_on()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration["AzureWebJobsStorage"] = Azurite.ConnectionString;
        builder.Configuration[MonitoringOptions.ScheduleSetting] = EveryFiveMinutes;
        builder.Configuration["Flywheel:Monitoring:Schedule"] = "0 0 0 1 1 *";
        builder.ConfigureFlywheel();
        using var host = builder.Build();

        Assert.Equal(EveryFiveMinutes, host.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.Schedule);
    }

    [Fact]
    public void LocalHost_reads_the_same_setting_and_keeps_the_nested_one_when_it_is_unset()
    {
        static string Schedule(Dictionary<string, string?> settings) =>
            new ServiceCollection().AddLogging().AddFlywheel(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
                .BuildServiceProvider().GetRequiredService<IOptions<MonitoringOptions>>().Value.Schedule;

        Assert.Equal(EveryFiveMinutes, Schedule(new() { [MonitoringOptions.ScheduleSetting] = EveryFiveMinutes }));
        Assert.Equal("0 0 0 1 1 *", Schedule(new() { ["Flywheel:Monitoring:Schedule"] = "0 0 0 1 1 *" }));
        Assert.Equal(new MonitoringOptions().Schedule, Schedule([]));
    }

    [Fact]
    public void A_schedule_setting_that_is_not_cron_stops_the_start_naming_the_setting()
    {
        var services = new ServiceCollection().AddLogging().AddFlywheel(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [MonitoringOptions.ScheduleSetting] = "hourly" }).Build());

        var failure = Assert.Throws<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<IOptions<MonitoringOptions>>().Value);
        Assert.Contains(MonitoringOptions.ScheduleSetting, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_settings_give_the_timer_the_apps_default_schedule()
    {
        var values = Read("local.settings.sample.json")["Values"]!.AsObject();

        Assert.Equal(new MonitoringOptions().Schedule, values[MonitoringOptions.ScheduleSetting]!.ToString());
        Assert.False(values.ContainsKey("Flywheel__Monitoring__Schedule"), "a second schedule setting could disagree with the timer's");
    }

    [Theory]
    [InlineData(null, 1.0F)]
    [InlineData("", 1.0F)]
    [InlineData("0.5", 0.5F)]
    [InlineData("1", 1.0F)]
    public void Trace_sampling_ratio_defaults_to_every_trace(string? setting, float expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [FlywheelFunctionsHost.SamplingRatioSetting] = setting }).Build();

        Assert.Equal(expected, FlywheelFunctionsHost.SamplingRatio(configuration));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("half")]
    public void A_trace_sampling_ratio_outside_zero_to_one_stops_the_start_naming_the_app_setting(string setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [FlywheelFunctionsHost.SamplingRatioSetting] = setting }).Build();

        var failure = Assert.Throws<InvalidOperationException>(() => FlywheelFunctionsHost.SamplingRatio(configuration));
        Assert.Contains("Flywheel__Telemetry__SamplingRatio", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Durable_polls_idle_queues_as_often_on_azure_as_the_LocalHost_engine_that_measurements_run_on()
    {
        var polling = TimeSpan.Parse(Read("host.json")["extensions"]!["durableTask"]!["storageProvider"]!["maxQueuePollingInterval"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

        // Each step after an idle spell can wait up to this long; 10 s once added that to every pipeline step.
        Assert.InRange(polling, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        Assert.Equal(new LocalEngineOptions().MaxQueuePollingInterval, polling);
    }
}
