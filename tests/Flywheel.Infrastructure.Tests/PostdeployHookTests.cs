using System.Management.Automation.Language;
using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

/// <summary>
/// scripts/azd/postdeploy.sh and .ps1: azure.yaml runs them with continueOnError false, so a hook
/// that fails, or fails late with the wrong reason, fails `azd up`. The shell hook runs here against
/// stand-ins for az, curl and sleep that record every call.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostdeployHookTests : IDisposable
{
    private const string Subscription = "00000000-0000-0000-0000-00000000feed";

    private readonly string _bin = Directory.CreateTempSubdirectory("flywheel-hook-").FullName;

    public PostdeployHookTests()
    {
        // az: 'account show' answers as signed in unless FAKE_SIGNED_OUT is set; 'functionapp keys list'
        // prints nothing (as some CLI releases do on Flex); 'rest' prints the key; the deployment fails
        // its first FAKE_DEPLOY_FAILURES attempts with Event Grid's validation error.
        Write("az", """
            #!/bin/sh
            echo "az $*" >> "$FAKE_LOG"
            case "$1 $2" in
              "account show")
                if [ -n "${FAKE_SIGNED_OUT:-}" ]; then echo "ERROR: Please run 'az login' to setup account." >&2; exit 1; fi
                echo "$AZURE_SUBSCRIPTION_ID"; exit 0 ;;
              "functionapp keys") exit 0 ;;
              "rest --method") echo "blob-extension-key"; exit 0 ;;
              "deployment group")
                made=$(grep -c "deployment group create" "$FAKE_LOG")
                if [ "$made" -le "${FAKE_DEPLOY_FAILURES:-0}" ]; then echo "ERROR: Webhook validation handshake failed for https://func/runtime/webhooks/blobs." >&2; exit 1; fi
                exit 0 ;;
            esac
            echo "unexpected az $*" >&2; exit 2
            """);
        Write("curl", """
            #!/bin/sh
            echo "curl $*" >> "$FAKE_LOG"
            printf 200
            """);
        Write("sleep", """
            #!/bin/sh
            echo "sleep $*" >> "$FAKE_LOG"
            """);
    }

    private string Log => Path.Combine(_bin, "calls.log");

    private List<string> Calls => File.Exists(Log) ? [.. File.ReadAllLines(Log)] : [];

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Fact]
    public void Both_hooks_pass_shellcheck_and_the_powershell_parser()
    {
        var shellcheck = Cli.Run("shellcheck", "scripts/azd/postdeploy.sh");
        Parser.ParseFile(Path.Combine(RepositoryRoot.Path, "scripts/azd/postdeploy.ps1"), out _, out var errors);

        Assert.True(shellcheck.ExitCode == 0, shellcheck.Output + shellcheck.Errors);
        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));

        // Both checkers do find faults: a quoting slip and an unclosed block.
        Write("broken.sh", "#!/bin/sh\nrm -rf $1/cache\n");
        Assert.NotEqual(0, Cli.Run("shellcheck", Path.Combine(_bin, "broken.sh")).ExitCode);
        Parser.ParseInput("if ($true) { Write-Host 'open'", out _, out var broken);
        Assert.NotEmpty(broken);
    }

    [Fact]
    public void A_signed_out_cli_fails_at_once_saying_to_sign_in_and_rerun_the_hook()
    {
        var run = RunHook(("FAKE_SIGNED_OUT", "1"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("az login", run.Errors, StringComparison.Ordinal);
        Assert.Contains("azd hooks run postdeploy", run.Errors, StringComparison.Ordinal);
        Assert.Equal(["az account show --only-show-errors --output none"], Calls);
    }

    [Fact]
    public void The_key_comes_from_arm_when_the_cli_prints_none_and_every_az_call_names_the_subscription()
    {
        var run = RunHook();

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.Contains(Calls, c => c.StartsWith("az rest --method post", StringComparison.Ordinal) && c.Contains($"/subscriptions/{Subscription}/resourceGroups/rg-test/providers/Microsoft.Web/sites/func-test/host/default/listkeys", StringComparison.Ordinal));
        Assert.All(Calls.Where(c => c.StartsWith("az ", StringComparison.Ordinal) && !c.StartsWith("az account show --only-show-errors", StringComparison.Ordinal) && !c.StartsWith("az rest", StringComparison.Ordinal)),
            c => Assert.Contains($"--subscription {Subscription}", c, StringComparison.Ordinal));
        Assert.Single(Calls, c => c.Contains("deployment group create", StringComparison.Ordinal));
        Assert.Contains("now reach OnLandingBlob", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_webhook_validation_is_retried_30_s_apart_each_time_after_warming_the_webhook()
    {
        var run = RunHook(("FAKE_DEPLOY_FAILURES", "2"));
        var steps = Calls.Where(c => c.Contains("runtime/webhooks/blobs", StringComparison.Ordinal) || c.Contains("deployment group create", StringComparison.Ordinal) || c.StartsWith("sleep", StringComparison.Ordinal))
            .Select(c => c.StartsWith("curl", StringComparison.Ordinal) ? "warm-up" : c.StartsWith("sleep", StringComparison.Ordinal) ? c : "create")
            .ToList();

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.Equal(["warm-up", "create", "sleep 30", "warm-up", "create", "sleep 30", "warm-up", "create"], steps);
        Assert.Contains(Calls, c => c.Contains("aeg-event-type: SubscriptionValidation", StringComparison.Ordinal) && c.Contains("code=blob-extension-key", StringComparison.Ordinal));
        Assert.Contains("Webhook validation handshake failed", run.Errors, StringComparison.Ordinal);
        Assert.Contains("attempt 3", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subscription_that_never_validates_fails_after_the_last_attempt_saying_what_to_do()
    {
        var run = RunHook(("FAKE_DEPLOY_FAILURES", "99"));
        var attempts = Calls.Count(c => c.Contains("deployment group create", StringComparison.Ordinal));

        Assert.Equal(1, run.ExitCode);
        Assert.InRange(attempts, 3, 5);
        Assert.Contains($"in {attempts} attempts", run.Errors, StringComparison.Ordinal);
        Assert.Contains("azd hooks run postdeploy", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Azd_runs_both_hooks_and_fails_the_deployment_when_one_fails()
    {
        var azure = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "azure.yaml"));

        Assert.Contains("run: ./scripts/azd/postdeploy.sh", azure, StringComparison.Ordinal);
        Assert.Contains("run: ./scripts/azd/postdeploy.ps1", azure, StringComparison.Ordinal);
        Assert.Contains("continueOnError: false", azure, StringComparison.Ordinal);
    }

    private CliResult RunHook(params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = $"{_bin}:/usr/bin:/bin",
            ["FAKE_LOG"] = Log,
            ["AZURE_SUBSCRIPTION_ID"] = Subscription,
            ["AZURE_RESOURCE_GROUP"] = "rg-test",
            ["AZURE_FUNCTION_APP_NAME"] = "func-test",
            ["AZURE_EVENTGRID_SYSTEM_TOPIC_NAME"] = "evgt-test",
            ["AZURE_STORAGE_ACCOUNT_NAME"] = "sttest",
            ["AZURE_IDENTITY_NAME"] = "id-test",
            ["SERVICE_API_URI"] = "https://func-test.example",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return Cli.Run(environment, "sh", "scripts/azd/postdeploy.sh");
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
