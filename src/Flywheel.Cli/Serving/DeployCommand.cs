using System.CommandLine;
using System.Globalization;
using Flywheel.Cli.Output;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Spectre.Console.Rendering;

namespace Flywheel.Cli.Serving;

/// <summary><c>flywheel deploy</c>: split a model's traffic between versions by weight, with an optional shadow.</summary>
internal static class DeployCommand
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Argument<string>("model") { Description = "The model to deploy" };
        var routes = new Option<string[]>("--route", "-r") { Description = "VERSION=WEIGHT, repeated (a version is a number, latest or an alias)", Required = true };
        var shadow = new Option<string?>("--shadow") { Description = "A version that scores a copy of the traffic without answering" };

        return build.Leaf("deploy", "Route a model's traffic between versions by weight", "flywheel deploy churn --route 1=90 --route 2=10 --shadow 3",
            async (s, ct) =>
            {
                var deployment = new Deployment(s.Value(routes).Select(Route).ToList(), s.Value(shadow) is { } sv ? new ShadowRoute(VersionReference.Parse(sv)) : null);
                s.Output.Write(await s.Client.Serving.DeployAsync(s.Value(model), deployment, ct), StatusTable);
                return ExitCodes.Ok;
            }, model, routes, shadow);
    }

    private static DeploymentRoute Route(string text)
    {
        const string Shape = "VERSION=WEIGHT, such as 2=10";
        var (version, weight) = Pairs.Split(text, "--route", Shape);
        return VersionReference.TryParse(version, aliases: true, out var reference) && int.TryParse(weight, NumberStyles.None, CultureInfo.InvariantCulture, out var share)
            ? new DeploymentRoute(reference, share)
            : throw Pairs.Malformed(text, "--route", Shape);
    }

    private static IRenderable StatusTable(DeploymentStatus status) => OutputWriter.Rows(status.Resolved?.Routes ?? [],
        ("declared", r => r.Declared), ("version", r => r.Version), ("weight", r => r.Weight));
}
