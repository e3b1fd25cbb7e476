using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;

namespace Flywheel.Tests.Contracts;

public sealed class ContractAssemblyTests
{
    private static readonly Assembly s_contracts = typeof(VersionReference).Assembly;

    [Fact]
    public void The_contracts_reference_nothing_but_the_base_class_library()
    {
        // A client takes this assembly: anything beyond the BCL and System.Text.Json (Azure, ML.NET,
        // ONNX Runtime, ASP.NET, the core) would come along with it.
        var references = s_contracts.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("System.Text.Json", references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal), $"{s_contracts.GetName().Name} references {name}."));
    }

    [Fact]
    public void The_contracts_declare_types_only_under_their_own_namespace()
    {
        Assert.All(s_contracts.GetExportedTypes(), type => Assert.StartsWith("Flywheel.Contracts", type.Namespace, StringComparison.Ordinal));
    }

    [Fact]
    public void The_servers_json_options_are_the_contract_factorys()
    {
        var value = new { Name = "a", Missing = (string?)null, Kind = ErrorKind.NotFound, Score = double.NaN };

        Assert.Equal(JsonSerializer.Serialize(value, FlywheelJson.CreateOptions()), JsonSerializer.Serialize(value, Json.Options));
        Assert.Equal("""{"name":"a","kind":"notFound","score":"NaN"}""", JsonSerializer.Serialize(value, Json.Options));
        Assert.Equal(JsonUnmappedMemberHandling.Disallow, Json.Requests.UnmappedMemberHandling);
        Assert.Equal(FlywheelJson.CreateRequestOptions().NumberHandling, Json.Requests.NumberHandling);
        Assert.True(Json.Requests.RespectNullableAnnotations);
    }

    [Fact]
    public void Every_problem_type_is_a_distinct_slug_under_the_base_uri()
    {
        var codes = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(ProblemTypes.BaseUri)).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches("^[a-z]+(-[a-z]+)*$", code));
        Assert.Equal("https://flywheel.dev/problems/not-found", ProblemTypes.Uri(ProblemTypes.NotFound));
    }
}
