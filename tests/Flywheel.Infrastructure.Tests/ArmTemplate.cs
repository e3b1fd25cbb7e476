using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

/// <summary>One resource of a compiled template, with the template (module) that declares it.</summary>
public sealed record ArmResource(string Type, JsonObject Body, JsonObject Template, JsonObject? Deployment)
{
    public JsonNode? Properties => Body["properties"];

    public string Text(string path) => Select(path)?.ToString() ?? string.Empty;

    public JsonNode? Select(string path)
    {
        JsonNode? node = Body;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node;
    }

    /// <summary>The values a <c>variables('x')</c> reference in <paramref name="expression"/> stands for in this resource's template, resolved through variables that name other variables.</summary>
    public IEnumerable<string> VariableValues(string expression)
    {
        foreach (Match match in Regex.Matches(expression, @"variables\('(\w+)'\)"))
        {
            IEnumerable<JsonNode?> values = Template["variables"]?[match.Groups[1].Value] switch
            {
                JsonArray array => (IEnumerable<JsonNode?>)array,
                JsonNode value => new[] { value },
                _ => [],
            };
            foreach (var value in values.Select(v => v!.ToString()))
            {
                var resolved = value.Contains("variables('", StringComparison.Ordinal) ? VariableValues(value).ToList() : [value];
                foreach (var item in resolved)
                {
                    yield return item;
                }
            }
        }
    }
}

/// <summary>
/// A Bicep file compiled to ARM JSON by the Bicep CLI that scripts/test.sh installs (from the
/// NuGet package Azure.Bicep.CommandLine.linux-x64), flattened through its modules.
/// </summary>
public sealed class ArmTemplate
{
    private ArmTemplate(JsonObject root)
    {
        Root = root;
        Walk(root, null);
    }

    public JsonObject Root { get; }

    public List<ArmResource> Resources { get; } = [];

    /// <summary>Every template in the tree (the root and each module), for their outputs and variables.</summary>
    public List<JsonObject> Templates { get; } = [];

    public static ArmTemplate Compile(string bicepFile)
    {
        var build = Cli.Run(BicepCli(), "build", bicepFile, "--stdout");
        return build.ExitCode == 0
            ? new ArmTemplate(JsonNode.Parse(build.Output)!.AsObject())
            : throw new InvalidOperationException($"bicep build {bicepFile} failed: {build.Errors}");
    }

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase) && r.Body["existing"]?.GetValue<bool>() != true);

    public ArmResource Single(string type) => Assert.Single(OfType(type));

    private void Walk(JsonObject template, JsonObject? deployment)
    {
        Templates.Add(template);
        IEnumerable<JsonNode?> resources = template["resources"] switch
        {
            JsonArray array => array,
            JsonObject symbolic => symbolic.Select(p => p.Value),
            _ => [],
        };
        foreach (var resource in resources.OfType<JsonObject>())
        {
            var type = resource["type"]!.ToString();
            Resources.Add(new ArmResource(type, resource, template, deployment));
            if (type == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                Walk(nested, resource);
            }
        }
    }

    private static string BicepCli()
    {
        if (Environment.GetEnvironmentVariable("FLYWHEEL_BICEP") is { Length: > 0 } given)
        {
            return given;
        }

        // Without scripts/test.sh: the package restored by scripts/tools/Tools.csproj, at the version Directory.Packages.props pins.
        var props = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props"));
        var version = Regex.Match(props, "<BicepCliVersion>(.+?)</BicepCliVersion>").Groups[1].Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cli = Path.Combine(packages, "azure.bicep.commandline.linux-x64", version, "tools", "bicep");
        return File.Exists(cli) ? cli : throw new FileNotFoundException($"Bicep CLI {version} not found; run scripts/test.sh (it restores scripts/tools/Tools.csproj) or set FLYWHEEL_BICEP.", cli);
    }
}
