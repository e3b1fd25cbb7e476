using System.Text.Json.Nodes;
using Flywheel.Storage;
using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

/// <summary>infra/main.bicep compiled to ARM JSON: what `azd up` would deploy, checked for the security properties it promises.</summary>
public sealed class MainTemplateTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string EventGridDataSender = "d5a91429-5739-47e2-a06b-3470a27159e7";

    private static readonly Lazy<ArmTemplate> s_main = new(() => ArmTemplate.Compile("infra/main.bicep"));

    private static ArmTemplate Main => s_main.Value;

    private static JsonObject AppSettings => Main.OfType("Microsoft.Web/sites/config").Single(r => r.Text("name").Contains("appsettings", StringComparison.Ordinal)).Properties!.AsObject();

    [Fact]
    public void Storage_account_refuses_shared_keys_public_blobs_plain_http_and_old_tls()
    {
        var account = Main.Single("Microsoft.Storage/storageAccounts");

        Assert.False(account.Select("properties.allowSharedKeyAccess")!.GetValue<bool>());
        Assert.False(account.Select("properties.allowBlobPublicAccess")!.GetValue<bool>());
        Assert.True(account.Select("properties.supportsHttpsTrafficOnly")!.GetValue<bool>());
        Assert.Equal("TLS1_2", account.Text("properties.minimumTlsVersion"));
        Assert.All(Main.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => Assert.Equal("None", c.Text("properties.publicAccess")));
    }

    [Fact]
    public void Storage_creates_every_container_and_table_the_app_uses_plus_queue_and_table_services_for_durable()
    {
        var containers = Main.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        var tables = Main.Single("Microsoft.Storage/storageAccounts/tableServices/tables");

        var declaredContainers = containers.VariableValues(containers.Text("name")).ToHashSet(StringComparer.Ordinal);
        var declaredTables = tables.VariableValues(tables.Text("name")).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(StorageNames.Containers.Except(declaredContainers));
        Assert.Empty(StorageNames.Tables.Except(declaredTables));
        Assert.Single(Main.OfType("Microsoft.Storage/storageAccounts/queueServices"));
        Assert.Single(Main.OfType("Microsoft.Storage/storageAccounts/tableServices"));
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_on_flex_consumption_https_only_as_its_user_assigned_identity()
    {
        var plan = Main.Single("Microsoft.Web/serverfarms");
        var app = Main.Single("Microsoft.Web/sites");

        Assert.Equal("FC1", plan.Text("sku.name"));
        Assert.True(app.Select("properties.httpsOnly")!.GetValue<bool>());
        Assert.Equal("1.2", app.Text("properties.siteConfig.minTlsVersion"));
        Assert.Equal("UserAssigned", app.Text("identity.type"));
        Assert.Equal("dotnet-isolated", app.Text("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", app.Text("properties.functionAppConfig.runtime.version"));
        Assert.Equal("UserAssignedIdentity", app.Text("properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.Contains("'azd-service-name', 'api'", app.Text("tags"), StringComparison.Ordinal);
        Assert.Contains("alwaysReady", app.Text("properties.functionAppConfig.scaleAndConcurrency.alwaysReady"), StringComparison.Ordinal);
        Assert.Contains("instanceMemoryMB", app.Text("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"), StringComparison.Ordinal);
        Assert.Contains("maximumInstanceCount", app.Text("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"), StringComparison.Ordinal);
    }

    [Fact]
    public void App_settings_reach_storage_events_and_monitoring_by_identity_with_no_secret()
    {
        var settings = AppSettings;

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]!.ToString());
        foreach (var name in new[] { "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "Flywheel__Events__TopicEndpoint" })
        {
            Assert.True(settings.ContainsKey(name), $"app setting {name} is missing");
        }

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage as a connection string would need the account key");
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.ToString(), StringComparison.Ordinal);
        Assert.All(settings, setting => AssertNoSecret($"app setting {setting.Key}", setting.Value!.ToString()));
    }

    [Fact]
    public void No_output_of_any_module_exposes_a_secret()
    {
        var outputs = Main.Templates.SelectMany(t => t["outputs"] is JsonObject o ? o : []).ToList();

        Assert.NotEmpty(outputs);
        Assert.All(outputs, output =>
        {
            Assert.NotEqual("securestring", output.Value!["type"]!.ToString().ToLowerInvariant());
            AssertNoSecret($"output {output.Key}", output.Value["value"]?.ToString() ?? string.Empty);
            Assert.DoesNotContain("ConnectionString", output.Value["value"]?.ToString() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void Role_assignments_grant_least_privilege_roles_each_scoped_to_its_resource()
    {
        var assignments = Main.OfType("Microsoft.Authorization/roleAssignments").ToList();
        var granted = assignments
            .SelectMany(a => a.VariableValues(a.Text("properties.roleDefinitionId")).Select(role => (Role: role, Scope: a.Text("scope"), a.Deployment)))
            .ToList();

        Assert.All(assignments, a =>
        {
            Assert.StartsWith("[resourceId('", a.Text("scope"), StringComparison.Ordinal);
            Assert.NotNull(a.Deployment?["resourceGroup"]);
        });
        AssertGranted(granted, StorageBlobDataOwner, "Microsoft.Storage/storageAccounts");
        AssertGranted(granted, StorageQueueDataContributor, "Microsoft.Storage/storageAccounts");
        AssertGranted(granted, StorageTableDataContributor, "Microsoft.Storage/storageAccounts");
        AssertGranted(granted, MonitoringMetricsPublisher, "Microsoft.Insights/components");
        AssertGranted(granted, EventGridDataSender, "Microsoft.EventGrid/topics");
        Assert.DoesNotContain(granted, g => g.Role is not (StorageBlobDataOwner or StorageQueueDataContributor or StorageTableDataContributor or MonitoringMetricsPublisher or EventGridDataSender));
    }

    [Fact]
    public void Event_grid_listens_to_the_storage_account_and_the_custom_topic_takes_only_entra_tokens()
    {
        var system = Main.Single("Microsoft.EventGrid/systemTopics");
        var topic = Main.Single("Microsoft.EventGrid/topics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", system.Text("properties.topicType"));
        Assert.Contains("Microsoft.Storage/storageAccounts", system.Text("properties.source"), StringComparison.Ordinal);
        Assert.True(topic.Select("properties.disableLocalAuth")!.GetValue<bool>());
        Assert.Equal("CloudEventSchemaV1_0", topic.Text("properties.inputSchema"));
    }

    [Fact]
    public void Application_insights_accepts_only_entra_ingestion_and_has_a_workbook_and_alerts()
    {
        var insights = Main.Single("Microsoft.Insights/components");
        var alerts = Main.OfType("Microsoft.Insights/scheduledQueryRules").ToList();

        Assert.True(insights.Select("properties.DisableLocalAuth")!.GetValue<bool>());
        Assert.Single(Main.OfType("Microsoft.Insights/workbooks"));
        Assert.Contains(alerts, a => a.Text("properties.criteria").Contains("resultCode", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Text("properties.criteria").Contains("flywheel.drift.detected", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_module_is_local_because_the_public_registry_is_not_reachable()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "infra"), "*.bicep", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.DoesNotContain("'br/", File.ReadAllText(file), StringComparison.Ordinal));
        Assert.All(files, file => Assert.DoesNotContain("'br:", File.ReadAllText(file), StringComparison.Ordinal));
    }

    private static void AssertGranted(List<(string Role, string Scope, JsonObject? Deployment)> granted, string role, string resourceType) =>
        Assert.Contains(granted, g => g.Role == role && g.Scope.StartsWith($"[resourceId('{resourceType}'", StringComparison.Ordinal));

    private static void AssertNoSecret(string what, string value)
    {
        foreach (var marker in new[] { "listKeys", "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "primaryKey", "listSecrets" })
        {
            Assert.False(value.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{what} carries a secret ({marker}): {value}");
        }
    }
}
