using System.Text.Json.Nodes;
using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

/// <summary>The console sign-in option of infra/ (ADR-016), on the compiled ARM of infra/main.bicep.</summary>
public sealed class ConsoleAccessTests
{
    private static readonly Lazy<ArmTemplate> s_main = new(() => ArmTemplate.Compile("infra/main.bicep"));

    private static ArmResource Auth => s_main.Value.OfType("Microsoft.Web/sites/config").Single(r => r.Text("name").Contains("authsettingsV2", StringComparison.Ordinal));

    private static JsonObject AppSettings => s_main.Value.OfType("Microsoft.Web/sites/config").Single(r => r.Text("name").Contains("appsettings", StringComparison.Ordinal)).Properties!.AsObject();

    [Fact]
    public void Sign_in_is_off_unless_a_client_id_is_given_and_azd_reads_it_from_the_environment()
    {
        var parameter = s_main.Value.Root["parameters"]!["consoleSignInClientId"]!;
        var azd = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra/main.parameters.json")))!["parameters"]!["consoleSignInClientId"]!;

        Assert.Equal(string.Empty, parameter["defaultValue"]!.ToString());
        Assert.Equal("${FLYWHEEL_CONSOLE_CLIENT_ID=}", azd["value"]!.ToString());
        Assert.Contains("consoleSignIn", Auth.Body["condition"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_in_guards_the_console_but_leaves_every_key_protected_path_to_its_function_keys()
    {
        var validation = Auth.Select("properties.globalValidation")!;
        var excluded = validation["excludedPaths"]!.AsArray().Select(p => p!.ToString()).ToList();

        Assert.True(validation["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal("RedirectToLoginPage", validation["unauthenticatedClientAction"]!.ToString());
        Assert.Equal(["/api", "/v2", "/runtime/webhooks", "/admin"], excluded);
        Assert.DoesNotContain(excluded, p => p.StartsWith("/console", StringComparison.Ordinal));
    }

    [Fact]
    public void Sign_in_stores_no_secret_and_lets_the_app_record_the_signed_in_caller()
    {
        var setting = Auth.Text("properties.identityProviders.azureActiveDirectory.registration.clientSecretSettingName");

        Assert.Equal("OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID", setting);
        Assert.Contains("userAssignedIdentities", AppSettings[setting]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("consoleSignIn", AppSettings["Flywheel__Access__TrustPrincipalHeader"]!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AppSettings, s => s.Key.Contains("SECRET", StringComparison.OrdinalIgnoreCase));
    }
}
