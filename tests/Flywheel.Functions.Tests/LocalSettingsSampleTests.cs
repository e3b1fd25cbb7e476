using System.Reflection;
using System.Text.Json;
using Flywheel.Datasets;
using Flywheel.Events;
using Flywheel.Pipelines;
using Flywheel.Registry;
using Flywheel.Serving;
using Flywheel.Storage;
using Flywheel.Testing;
using Microsoft.Extensions.Configuration;

namespace Flywheel.Functions.Tests;

public sealed class LocalSettingsSampleTests
{
    // Filled from AzureWebJobsStorage (a connection string or its identity-based section), or optional endpoints without a default.
    private static readonly HashSet<string> s_notTunables = new(StringComparer.Ordinal)
    {
        "ConnectionString", "AccountName", "BlobServiceUri", "TableServiceUri", "QueueServiceUri", "Credential", "ClientId", "TopicEndpoint", "Webhook",

        // LocalHost's stand-in for function keys: the Functions host has its own keys.
        "ApiKey", "ApiKeyForReads",
    };

    public static TheoryData<Type, string> Options() => new()
    {
        { typeof(StorageOptions), StorageOptions.SectionName },
        { typeof(DatasetOptions), DatasetOptions.SectionName },
        { typeof(RegistryOptions), RegistryOptions.SectionName },
        { typeof(ServingOptions), ServingOptions.SectionName },
        { typeof(EventOptions), EventOptions.SectionName },
        { typeof(PipelineOptions), PipelineOptions.SectionName },
        { typeof(Flywheel.Monitoring.MonitoringOptions), Flywheel.Monitoring.MonitoringOptions.SectionName },
        { typeof(Flywheel.Retraining.RetrainingOptions), Flywheel.Retraining.RetrainingOptions.SectionName },
        { typeof(Api.Access.AccessOptions), Api.Access.AccessOptions.SectionName },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Sample_lists_every_setting_with_the_default_the_app_uses(Type options, string section)
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());

        // Each timer's schedule is listed once, under the flat name the timer binds; the app reads it into the option.
        if (values.TryGetValue(Flywheel.Monitoring.MonitoringOptions.ScheduleSetting, out var schedule))
        {
            values[$"{Flywheel.Monitoring.MonitoringOptions.SectionName}:{nameof(Flywheel.Monitoring.MonitoringOptions.Schedule)}"] = schedule;
        }

        if (values.TryGetValue(Flywheel.Retraining.RetrainingOptions.ScheduleSetting, out var retraining))
        {
            values[$"{Flywheel.Retraining.RetrainingOptions.SectionName}:{nameof(Flywheel.Retraining.RetrainingOptions.Schedule)}"] = retraining;
        }

        var bound = Activator.CreateInstance(options)!;
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(section).Bind(bound);
        var defaults = Activator.CreateInstance(options)!;

        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && !s_notTunables.Contains(p.Name)))
        {
            var key = $"{section}:{property.Name}";
            Assert.True(values.ContainsKey(key), $"local.settings.sample.json lacks {key.Replace(":", "__", StringComparison.Ordinal)}");
            Assert.Equal(property.GetValue(defaults), property.GetValue(bound));
        }
    }
}
