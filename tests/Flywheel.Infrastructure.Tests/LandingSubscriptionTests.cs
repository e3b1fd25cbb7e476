using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

/// <summary>infra/app/landing-subscription.bicep, the second deployment the azd postdeploy hook runs.</summary>
public sealed class LandingSubscriptionTests
{
    private static readonly Lazy<ArmTemplate> s_template = new(() => ArmTemplate.Compile("infra/app/landing-subscription.bicep"));

    [Fact]
    public void Subscription_sends_only_blob_created_under_landing_to_the_blob_trigger_webhook_and_dead_letters_by_identity()
    {
        var subscription = s_template.Value.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var functionName = s_template.Value.Root["parameters"]!["functionName"]!["defaultValue"]!.ToString();

        Assert.Equal("WebHook", subscription.Text("properties.destination.endpointType"));
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", subscription.Text("properties.destination.properties.endpointUrl"), StringComparison.Ordinal);
        Assert.Equal("[\"Microsoft.Storage.BlobCreated\"]", subscription.Select("properties.filter.includedEventTypes")!.ToJsonString());
        Assert.Contains("/blobServices/default/containers/", subscription.Text("properties.filter.subjectBeginsWith"), StringComparison.Ordinal);
        Assert.Equal("landing", s_template.Value.Root["parameters"]!["landingContainerName"]!["defaultValue"]!.ToString());
        Assert.Equal("UserAssigned", subscription.Text("properties.deadLetterWithResourceIdentity.identity.type"));
        Assert.Contains($"[Function(nameof({functionName}))]", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src/Flywheel.Functions/Datasets/LandingFunctions.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void Azd_runs_the_hook_that_deploys_it_after_the_code()
    {
        var azure = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "azure.yaml"));
        var hook = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "scripts/azd/postdeploy.sh"));

        Assert.Contains("postdeploy:", azure, StringComparison.Ordinal);
        Assert.Contains("./scripts/azd/postdeploy.sh", azure, StringComparison.Ordinal);
        Assert.Contains("infra/app/landing-subscription.bicep", hook, StringComparison.Ordinal);
        Assert.Equal(new CliResult(0, string.Empty, string.Empty), Cli.Run("sh", "-n", "scripts/azd/postdeploy.sh"));
    }
}
