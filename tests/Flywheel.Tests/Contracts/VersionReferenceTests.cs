using System.Text.Json;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Registry;

namespace Flywheel.Tests.Contracts;

public sealed class VersionReferenceTests
{
    private static readonly Dictionary<string, int> s_aliases = new(StringComparer.Ordinal) { ["champion"] = 3 };

    [Theory]
    [InlineData("7", 7)]
    [InlineData("latest", 9)]
    [InlineData("LATEST", 9)]
    [InlineData("champion", 3)]
    [InlineData("challenger", null)]
    public void A_reference_resolves_against_the_latest_number_and_the_aliases(string text, int? expected)
    {
        Assert.Equal(expected, VersionReference.Parse(text).Resolve(9, s_aliases));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("9999999999")]
    public void Text_that_names_no_version_is_an_invalid_input_error(string text)
    {
        var error = Assert.Throws<FlywheelException>(() => VersionReference.Parse(text));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal("invalid-version", error.Code);
        Assert.Equal(ProblemTypes.InvalidVersion, error.Code);
    }

    [Fact]
    public void Datasets_take_numbers_and_latest_but_no_aliases()
    {
        Assert.Equal(4, VersionReference.Parse("4", aliases: false).Number);
        Assert.True(VersionReference.Parse("latest", aliases: false).IsLatest);
        Assert.Contains("a number or 'latest'", Assert.Throws<FlywheelException>(() => VersionReference.Parse("champion", aliases: false)).Message, StringComparison.Ordinal);
        Assert.Equal("latest", VersionReference.Latest.ToString());
        Assert.Equal("12", VersionReference.Of(12).ToString());
    }

    [Theory]
    [InlineData("3", "3")]
    [InlineData("\"3\"", "3")]
    [InlineData("\"latest\"", "\"latest\"")]
    [InlineData("\"LATEST\"", "\"latest\"")]
    [InlineData("\"champion\"", "\"champion\"")]
    public void A_version_in_a_body_is_read_as_users_write_it_and_written_back_as_a_number_when_it_is_one(string json, string written)
    {
        var reference = JsonSerializer.Deserialize<VersionReference>(json, FlywheelJson.CreateRequestOptions());

        Assert.Equal(written, JsonSerializer.Serialize(reference, FlywheelJson.CreateOptions()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("\"two words\"")]
    [InlineData("\"0\"")]
    public void A_body_version_that_names_no_version_is_a_json_error_saying_what_is_accepted(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<VersionReference>(json, FlywheelJson.CreateRequestOptions()));

        Assert.StartsWith("expected a version: a number of 1 or more, \"latest\" or an alias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Latest_is_never_an_alias_name_and_champion_is()
    {
        Assert.False(AliasName.IsValid(VersionReference.LatestText));
        Assert.True(AliasName.IsValid(AliasName.Champion));
        Assert.Equal(3, VersionReference.Parse(AliasName.Champion).Resolve(9, s_aliases));
    }
}
