using System.CommandLine;
using System.Text.Json;
using Flywheel.Contracts;
using Flywheel.Contracts.Retraining;
using Spectre.Console;

namespace Flywheel.Cli.Retraining;

/// <summary><c>flywheel policy get|set</c>: a model's continuous-training policy (triggers, cooldown, canary, approval).</summary>
internal static class PolicyCommands
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Argument<string>("model") { Description = "The model" };
        var file = new Option<FileInfo>("--file", "-f") { Description = "The policy as JSON (the API's RetrainingPolicy)", Required = true };
        return build.Group("policy", "A model's retraining policy",
            build.Leaf("get", "Show the policy with its defaults filled in", "flywheel policy get churn -o json",
                async (s, ct) =>
                {
                    if (await s.Client.Retraining.GetPolicyAsync(s.Value(model), ct) is not { } policy)
                    {
                        await s.Error.WriteLineAsync($"error: model '{s.Value(model)}' has no retraining policy; it retrains only when asked. Set one with 'flywheel policy set {s.Value(model)} --file policy.json'.");
                        return ExitCodes.NotFound;
                    }

                    s.Output.Write(policy, PolicyTable);
                    return ExitCodes.Ok;
                }, model),
            build.Leaf("set", "Set the policy from a JSON file", "flywheel policy set churn --file policy.json",
                async (s, ct) =>
                {
                    var policy = await JsonInput.ReadAsync<RetrainingPolicy>(s.Value(file), ct);
                    s.Output.Write(await s.Client.Retraining.SetPolicyAsync(s.Value(model), policy, ct), PolicyTable);
                    return ExitCodes.Ok;
                }, model, file));
    }

    // The policy is a tree of optional parts; its JSON is the clearest table of it.
    private static Panel PolicyTable(RetrainingPolicy policy) =>
        new Panel(new Text(JsonSerializer.Serialize(policy, new JsonSerializerOptions(FlywheelJson.CreateOptions()) { WriteIndented = true }))).Header("policy");
}
