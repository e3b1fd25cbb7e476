using System.Globalization;
using System.Text.Json.Nodes;
using Flywheel.Datasets;
using Flywheel.Monitoring;
using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

/// <summary>
/// What would make `azd up` fail or cost more than intended on Flex Consumption, checked on the
/// compiled ARM of infra/main.bicep and the files azd and the workflow feed it.
/// </summary>
public sealed class FlexConsumptionTests
{
    // Flex Consumption rejects these siteConfig properties (ARM error 51021); linuxFxVersion is replaced by functionAppConfig.runtime.
    private static readonly string[] s_flexInvalidSiteConfig =
        ["ftpsState", "use32BitWorkerProcess", "netFrameworkVersion", "functionsRuntimeScaleMonitoringEnabled", "linuxFxVersion"];

    private static readonly Lazy<ArmTemplate> s_main = new(() => ArmTemplate.Compile("infra/main.bicep"));

    private static ArmTemplate Main => s_main.Value;

    private static JsonObject Parameters => Main.Root["parameters"]!.AsObject();

    private static JsonObject AzdParameters => JsonNode.Parse(Read("infra/main.parameters.json"))!["parameters"]!.AsObject();

    private static JsonObject AppSettings => Main.OfType("Microsoft.Web/sites/config").Single(r => r.Text("name").Contains("appsettings", StringComparison.Ordinal)).Properties!.AsObject();

    private static string Read(string path) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, path));

    private static JsonObject ModuleParameters(string module) =>
        Main.OfType("Microsoft.Resources/deployments").Single(d => d.Text("name") == module).Select("properties.parameters")!.AsObject();

    [Fact]
    public void Function_app_sets_no_site_config_property_that_flex_consumption_rejects()
    {
        var sites = Main.OfType("Microsoft.Web/sites").ToList();
        var siteConfigs = sites.Select(s => s.Select("properties.siteConfig") as JsonObject)
            .Concat(Main.OfType("Microsoft.Web/sites/config").Where(c => !c.Text("name").Contains("appsettings", StringComparison.Ordinal)).Select(c => c.Properties as JsonObject))
            .OfType<JsonObject>()
            .ToList();

        Assert.NotEmpty(siteConfigs);
        Assert.All(siteConfigs, config => Assert.DoesNotContain(config, p => s_flexInvalidSiteConfig.Contains(p.Key, StringComparer.OrdinalIgnoreCase)));
        Assert.DoesNotContain("FTP off", Read("README.md"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Deploying_principal_gets_its_roles_with_the_type_azd_is_given_and_the_workflow_says_service_principal()
    {
        var userRoles = Main.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Text("properties.principalId") == "[parameters('userPrincipalId')]")
            .ToList();
        var principalType = Parameters["principalType"]!;

        Assert.NotEmpty(userRoles);
        Assert.All(userRoles, a => Assert.Equal("[parameters('userPrincipalType')]", a.Text("properties.principalType")));
        Assert.Equal("[parameters('principalType')]", ModuleParameters("rbac")["userPrincipalType"]!["value"]!.ToString());
        Assert.Equal("User", principalType["defaultValue"]!.ToString());
        Assert.Contains("ServicePrincipal", principalType["allowedValues"]!.AsArray().Select(v => v!.ToString()));
        Assert.Equal("${AZURE_PRINCIPAL_TYPE=User}", AzdParameters["principalType"]!["value"]!.ToString());
        Assert.Contains("AZURE_PRINCIPAL_TYPE: ServicePrincipal", Read(".github/workflows/azure-dev.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Always_ready_instances_are_set_per_function_group_each_from_its_own_parameter()
    {
        var alwaysReady = ModuleParameters("api")["alwaysReady"]!["value"]!.AsObject();
        var app = Main.Single("Microsoft.Web/sites");

        Assert.Equal(["blob", "durable", "http"], alwaysReady.Select(g => g.Key).Order(StringComparer.Ordinal));
        foreach (var (group, parameter, variable, fallback) in new[]
        {
            // A first deployment scales every group to zero; production sets http and durable to 1 (README).
            ("http", "alwaysReadyHttp", "FLYWHEEL_ALWAYS_READY_HTTP", 0),
            ("durable", "alwaysReadyDurable", "FLYWHEEL_ALWAYS_READY_DURABLE", 0),
            ("blob", "alwaysReadyBlob", "FLYWHEEL_ALWAYS_READY_BLOB", 0),
        })
        {
            Assert.Equal($"[parameters('{parameter}')]", alwaysReady[group]!.ToString());
            Assert.Equal(fallback, Parameters[parameter]!["defaultValue"]!.GetValue<int>());
            Assert.Equal($"${{{variable}={fallback}}}", AzdParameters[parameter]!["value"]!.ToString());
        }

        // Groups at 0 are left out of the site's list rather than sent as zero.
        Assert.Contains("items(parameters('alwaysReady'))", app.Template["variables"]!["alwaysReadyGroups"]!.ToString(), StringComparison.Ordinal);
        Assert.False(Parameters.ContainsKey("alwaysReadyInstanceCount"));
    }

    [Fact]
    public void Scale_out_bound_says_it_applies_to_each_function_group()
    {
        Assert.Contains("per function group", Parameters["maximumInstanceCount"]!["metadata"]!["description"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("[parameters('maximumInstanceCount')]", ModuleParameters("api")["maximumInstanceCount"]!["value"]!.ToString());
    }

    [Fact]
    public void Location_accepts_only_regions_that_offer_flex_consumption_and_the_readme_says_how_to_list_them()
    {
        var allowed = Parameters["location"]!["allowedValues"]?.AsArray().Select(v => v!.ToString()).ToList();

        Assert.NotNull(allowed);
        Assert.Contains("eastus", allowed);
        Assert.Contains("westeurope", allowed);
        Assert.DoesNotContain("eastus2euap", allowed);
        Assert.DoesNotContain("westus", allowed);
        Assert.All(allowed, region => Assert.Matches("^[a-z0-9]+$", region));
        Assert.Contains("az functionapp list-flexconsumption-locations", Read("README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_analytics_caps_daily_ingestion_and_the_exporter_samples_by_parameters_with_bounded_defaults()
    {
        var workspace = Main.Single("Microsoft.OperationalInsights/workspaces");
        var ratio = double.Parse(Parameters["telemetrySamplingRatio"]!["defaultValue"]!.ToString(), CultureInfo.InvariantCulture);

        Assert.Equal("[parameters('dailyQuotaGb')]", workspace.Text("properties.workspaceCapping.dailyQuotaGb"));
        Assert.Equal("[parameters('logDailyQuotaGb')]", ModuleParameters("monitoring")["dailyQuotaGb"]!["value"]!.ToString());
        Assert.InRange(Parameters["logDailyQuotaGb"]!["defaultValue"]!.GetValue<int>(), 1, 5);
        Assert.InRange(ratio, double.Epsilon, 1.0);
        Assert.Equal("[parameters('telemetrySamplingRatio')]", AppSettings["Flywheel__Telemetry__SamplingRatio"]!.ToString());
    }

    [Fact]
    public void Monitoring_timer_setting_is_flat_and_deployed_with_the_apps_default_schedule()
    {
        var settings = AppSettings;
        var schedule = Parameters["monitoringSchedule"]!["defaultValue"]!.ToString();

        Assert.All(settings, setting => Assert.DoesNotContain(':', setting.Key));
        Assert.Equal("[parameters('monitoringSchedule')]", settings[MonitoringOptions.ScheduleSetting]!.ToString());
        Assert.Equal("[parameters('monitoringSchedule')]", ModuleParameters("api")["monitoringSchedule"]!["value"]!.ToString());
        Assert.Equal(new MonitoringOptions().Schedule, schedule);
        Assert.NotNull(MonitoringSchedule.TryParse(schedule));

        // One source for the schedule: a second, nested setting could disagree with what the timer fires on.
        Assert.False(settings.ContainsKey("Flywheel__Monitoring__Schedule"));
    }

    [Fact]
    public void Landing_drops_moved_to_the_poison_queue_raise_an_alert()
    {
        var alert = Assert.Single(Main.OfType("Microsoft.Insights/scheduledQueryRules"), a => a.Text("properties.criteria").Contains("poisonQueueName", StringComparison.Ordinal));

        Assert.Equal("webjobs-blobtrigger-poison", alert.Template["parameters"]!["poisonQueueName"]!["defaultValue"]!.ToString());
        Assert.StartsWith("[format('traces", alert.Select("properties.criteria.allOf")![0]!["query"]!.ToString(), StringComparison.Ordinal);
        Assert.True(alert.Select("properties.enabled")!.GetValue<bool>());
    }

    [Fact]
    public void Landing_attempts_equal_the_blob_trigger_queue_dequeue_count_so_a_failing_drop_is_quarantined_before_it_is_poisoned()
    {
        var host = JsonNode.Parse(Read("host.json"))!;
        var sample = JsonNode.Parse(Read("local.settings.sample.json"))!["Values"]!;
        var dequeues = host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>();

        Assert.Equal(new DatasetOptions().LandingMaxAttempts, dequeues);
        Assert.Equal(dequeues.ToString(CultureInfo.InvariantCulture), sample["Flywheel__Datasets__LandingMaxAttempts"]!.ToString());
        Assert.False(AppSettings.ContainsKey("Flywheel__Datasets__LandingMaxAttempts"), "the deployed app would count attempts differently from host.json");
    }
}
