using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Flywheel.Api.Problems;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Training;
using Flywheel.Training.Tracking;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Training;

/// <summary>The runs filter: LIKE matched without a regex (so no pattern can run into a timeout), and <c>and</c> inside a quoted value.</summary>
public sealed class RunFilterTests
{
    private static RunRecord Run(string model, string trainer = "lightgbm") =>
        new($"{model}-run", "pipeline", model, 1, 0, trainer, new Dictionary<string, double> { ["lr"] = 0.1 }, new Dictionary<string, double> { ["auc"] = 0.9 },
            RunStatus.Finished, "data", 1, "sha", 7, DateTimeOffset.UnixEpoch, null, null);

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "a%", true)]
    [InlineData("abc", "%c", true)]
    [InlineData("abc", "%b%", true)]
    [InlineData("abc", "a_c", true)]
    [InlineData("abc", "___", true)]
    [InlineData("abc", "__", false)]
    [InlineData("abc", "%%%", true)]
    [InlineData("", "%", true)]
    [InlineData("", "_", false)]
    [InlineData("abc", "abd", false)]
    [InlineData("abcabd", "%ab_", true)]
    [InlineData("mississippi", "%iss%ppi", true)]
    [InlineData("mississippi", "%iss%pp", false)]
    [InlineData("a.b*c", "a.b*c", true)]
    [InlineData("a.b*c", "a.b.c", false)]
    [InlineData("line\nbreak", "line%break", true)]
    public void Like_matches_percent_and_underscore_as_sql_does(string value, string pattern, bool matches) =>
        Assert.Equal(matches, RunQuery.Like(value, pattern, ignoreCase: false));

    [Theory]
    [InlineData("LightGBM", "light%", true)]
    [InlineData("LightGBM", "%GBm", true)]
    [InlineData("LightGBM", "fast%", false)]
    public void Ilike_ignores_case(string value, string pattern, bool matches) =>
        Assert.Equal(matches, RunQuery.Like(value, pattern, ignoreCase: true));

    [Theory]
    [InlineData(20, 5_000)]
    [InlineData(200, 20_000)]
    [InlineData(2_000, 2_000)]
    public void A_pattern_of_many_wildcards_answers_without_running_into_a_timeout(int wildcards, int length)
    {
        var pattern = string.Concat(Enumerable.Repeat("%a", wildcards)) + "%b";
        var value = new string('a', length);
        var query = RunQuery.Parse($"attributes.model LIKE '{pattern}'", null);

        Assert.False(query.Matches(Run(value)));
        Assert.True(query.Matches(Run(value + "b")));
    }

    [Theory]
    [InlineData("attributes.model = 'fast and slow'", "fast and slow", true)]
    [InlineData("attributes.model = \"fast AND slow\"", "fast AND slow", true)]
    [InlineData("attributes.model LIKE '% and %' and attributes.trainer = 'lightgbm'", "up and down", true)]
    [InlineData("attributes.model LIKE '% and %' and attributes.trainer = 'sdca'", "up and down", false)]
    [InlineData("params.note = 'a and b'", "x", false)]
    [InlineData("attributes.`model` = 'a and b' and metrics.auc > 0.5", "a and b", true)]
    public void A_quoted_value_may_hold_and(string filter, string model, bool matches) =>
        Assert.Equal(matches, RunQuery.Parse(filter, null).Matches(Run(model)));

    [Theory]
    [InlineData("attributes.model = 'a' and")]
    [InlineData("attributes.model = 'a and b")]
    [InlineData("and attributes.model = 'a'")]
    public void A_filter_broken_around_and_is_still_refused(string filter) =>
        Assert.Equal("invalid-query", Assert.Throws<FlywheelException>(() => RunQuery.Parse(filter, null)).Code);

    [Fact]
    public async Task The_runs_route_answers_a_wildcard_heavy_filter_and_a_quoted_and_with_200()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var runs = app.Services.GetRequiredService<RunStore>();
        await runs.SaveAsync(Run(new string('a', 500)), CancellationToken.None);
        await runs.SaveAsync(Run("fast and slow"), CancellationToken.None);

        foreach (var (filter, count) in new[]
        {
            (string.Concat(Enumerable.Repeat("%a", 30)) is var p ? $"attributes.model LIKE '{p}%b'" : null, 0),
            ("attributes.model ILIKE '%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%A%'", 1),
            ("attributes.model = 'fast and slow'", 1),
            ("attributes.model LIKE '% and %' and attributes.trainer = 'lightgbm'", 1),
        })
        {
            using var response = await client.GetAsync(new Uri($"api/runs?filter={Uri.EscapeDataString(filter!)}", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{filter}: {(int)response.StatusCode} {body}");
            Assert.Equal(count, JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength());
        }
    }

    [Fact]
    public void Only_a_storage_transport_failure_is_classified_unavailable()
    {
        Assert.Null(FailureResponse.Classify(new RegexMatchTimeoutException("x", ".*", TimeSpan.FromSeconds(1))));
        Assert.Null(FailureResponse.Classify(new TimeoutException("our own")));
        Assert.Null(FailureResponse.Classify(new TaskCanceledException("regex", new RegexMatchTimeoutException())));
        Assert.Null(FailureResponse.Classify(new InvalidOperationException("a bug")));
        Assert.Equal(ErrorKind.Unavailable, FailureResponse.Classify(new RequestFailedException(503, "busy"))?.Kind);
        Assert.Equal(ErrorKind.Unavailable, FailureResponse.Classify(new HttpRequestException("refused"))?.Kind);
        Assert.Equal(ErrorKind.Unavailable, FailureResponse.Classify(new TaskCanceledException("network timeout", new TimeoutException("100 s")))?.Kind);
        Assert.Equal(ErrorKind.Unavailable, FailureResponse.Classify(new AggregateException(new RequestFailedException(0, "reset"), new RequestFailedException(500, "x")))?.Kind);
    }
}
