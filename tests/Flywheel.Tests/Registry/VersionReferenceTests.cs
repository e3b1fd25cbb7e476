using Flywheel.Errors;

namespace Flywheel.Tests.Registry;

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
}
