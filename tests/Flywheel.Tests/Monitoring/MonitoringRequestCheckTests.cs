using System.Net;
using System.Text.Json;
using Flywheel.Serving.Observation;

namespace Flywheel.Tests.Monitoring;

/// <summary>
/// Monitoring requests that would store a wrong answer or a setting every later run fails on are
/// refused at the request, before anything is stored: thresholds, methods that miss drift on a
/// column of another kind, features the lineage reference lacks, names used as storage paths, and
/// a bad format. The titanic pipeline "survival" has titanic v1 as its lineage and no settings.
/// </summary>
public sealed class MonitoringRequestCheckTests
{
    private static Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null) =>
        ModelMonitoringApiTests.SendAsync(client, method, path, body);

    private static async Task<HttpClient> SurvivalAsync(FlywheelApp app)
    {
        var client = app.CreateClient();
        await ModelMonitoringApiTests.SetUpAsync(client);
        return client;
    }

    private static async Task AssertNothingStoredAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/survival/drift")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/survival/monitoring")).Status);
    }

    [Fact]
    public async Task A_model_drift_run_with_a_threshold_of_zero_or_below_is_a_400_and_stores_no_report()
    {
        await using var app = new FlywheelApp();
        using var client = await SurvivalAsync(app);

        foreach (var threshold in new[] { "0", "-0.1", "-1e300", "0.0" })
        {
            var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run", $$"""{"threshold": {{threshold}}, "minRows": 1}""");

            Assert.True(status == HttpStatusCode.BadRequest, $"{threshold}: {status} {problem}");
            Assert.Contains("threshold must be a positive number", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Get, "api/datasets/titanic/drift?reference=1&threshold=-1")).Status);
        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task A_drift_method_that_does_not_fit_a_columns_kind_is_a_400_naming_column_and_method_in_settings_and_runs()
    {
        await using var app = new FlywheelApp();
        using var client = await SurvivalAsync(app);
        var misfits = new (string Settings, string Column, string Method)[]
        {
            ("""{"reference": {"dataset": "titanic", "version": 1}, "features": ["age"], "methods": {"age": "z"}}""", "age", "z"),
            ("""{"reference": {"dataset": "titanic", "version": 1}, "features": ["age", "fare"], "methods": {"fare": "jensenshannon"}}""", "fare", "jensenshannon"),
            ("""{"reference": {"dataset": "titanic", "version": 1}, "features": ["sex"], "methods": {"sex": "ks"}}""", "sex", "ks"),
            ("""{"reference": {"dataset": "titanic", "version": 1}, "features": ["sex", "age"], "methods": {"categorical": "wasserstein"}}""", "sex", "wasserstein"),
            ("""{"features": ["age"], "methods": {"numerical": "chisquare"}}""", "age", "chisquare"),
            ("""{"methods": {"age": "z"}}""", "age", "z"),
        };

        foreach (var (settings, column, method) in misfits)
        {
            var (status, problem) = await SendAsync(client, HttpMethod.Put, "api/models/survival/monitoring", settings);

            Assert.True(status == HttpStatusCode.BadRequest, $"{settings}: {status} {problem}");
            Assert.Equal(column, problem.GetProperty("column").GetString());
            Assert.Contains($"Column '{column}': '{method}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        foreach (var (method, column) in new[] { ("z", "age"), ("chisquare", "age"), ("ks", "sex"), ("wasserstein", "sex") })
        {
            var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run", $$"""{"method": "{{method}}", "minRows": 1}""");

            Assert.True(status == HttpStatusCode.BadRequest, $"{method}: {status} {problem}");
            Assert.Contains($"'{method}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains(problem.GetProperty("column").GetString(), new[] { column, "sex", "embarked", "age", "fare", "pclass" });
        }

        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task Drift_methods_that_fit_their_columns_are_saved()
    {
        await using var app = new FlywheelApp();
        using var client = await SurvivalAsync(app);

        var (created, body) = await SendAsync(client, HttpMethod.Put, "api/models/survival/monitoring",
            """{"features": ["sex", "sibsp", "age"], "methods": {"sex": "z", "sibsp": "chisquare", "age": "psi", "categorical": "jensenshannon"}}""");

        Assert.True(created == HttpStatusCode.Created, body.ToString());
    }

    [Fact]
    public async Task Monitored_features_that_are_not_columns_of_the_lineage_reference_are_a_422_when_saved()
    {
        await using var app = new FlywheelApp();
        using var client = await SurvivalAsync(app);

        foreach (var (features, absent) in new[] { ("""["age", "deck"]""", "deck"), ("""["Age"]""", "Age"), ("""["nope", "sex"]""", "nope") })
        {
            var (status, problem) = await SendAsync(client, HttpMethod.Put, "api/models/survival/monitoring", $$"""{"features": {{features}}}""");

            Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{features}: {status} {problem}");
            Assert.Contains(absent, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("'titanic' version 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task A_dataset_name_in_the_settings_body_that_is_not_a_valid_name_is_a_400_before_storage_sees_it()
    {
        await using var app = new FlywheelApp();
        using var client = await SurvivalAsync(app);

        foreach (var name in new[] { "../x", "Titanic", "a/b", "ti", "titanic/../titanic", "..", "titanic%2F.." })
        {
            var (status, problem) = await SendAsync(client, HttpMethod.Put, "api/models/survival/monitoring", $$$"""{"reference": {"dataset": "{{{name}}}", "version": 1}}""");

            Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {status} {problem}");
            Assert.EndsWith("invalid-name", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        var (training, trainingProblem) = await SendAsync(client, HttpMethod.Post, "api/pipelines/training", """{"model": "survival", "dataset": "../titanic", "label": "survived"}""");
        Assert.True(training == HttpStatusCode.BadRequest, trainingProblem.ToString());
        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task A_model_drift_run_with_an_invalid_format_is_a_400_and_runs_nothing()
    {
        await using var app = new FlywheelApp();
        using var client = await SurvivalAsync(app);

        foreach (var format in new[] { "xml", "HTML", "json,html", "%20json" })
        {
            var (status, problem) = await SendAsync(client, HttpMethod.Post, $"api/models/survival/drift/run?format={format}", """{"minRows": 1}""");

            Assert.True(status == HttpStatusCode.BadRequest, $"{format}: {status} {problem}");
            Assert.Contains("format must be json or html", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await AssertNothingStoredAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run?format=html", """{"minRows": 1}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "api/models/survival/drift")).Status);
    }

    [Fact]
    public async Task A_one_hour_window_in_1970_is_answered_with_not_enough_data()
    {
        await using var app = new FlywheelApp();
        using var client = await SurvivalAsync(app);

        var (status, report) = await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run", """{"from": "1970-01-01T00:00:00Z", "to": "1970-01-01T01:00:00Z", "minRows": 1}""");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal("not-enough-data", report.GetProperty("verdict").GetString());
    }
}

/// <summary>Reading feedback since a day walks the folders that exist, whatever the day's age: a few listings, not one per calendar day.</summary>
public sealed class FeedbackFolderWalkTests
{
    private static readonly string[] s_days = ["m/feedback/2025/12/31/", "m/feedback/2026/03/02/", "m/feedback/2026/03/09/", "m/feedback/2026/11/01/"];

    /// <summary>The day folders as a tree of prefixes, counting each listing.</summary>
    private sealed class Tree
    {
        public List<string> Listed { get; } = [];

        public async IAsyncEnumerable<string> ChildrenAsync(string prefix)
        {
            Listed.Add(prefix);
            await Task.Yield();
            foreach (var child in s_days.Where(d => d.StartsWith(prefix, StringComparison.Ordinal)).Select(d => d[..(d.IndexOf('/', prefix.Length) + 1)]).Distinct().Order(StringComparer.Ordinal))
            {
                yield return child;
            }
        }
    }

    private static async Task<(List<string> Days, List<string> Listed)> WalkAsync(string first)
    {
        var tree = new Tree();
        var days = new List<string>();
        await foreach (var day in FeedbackStore.DayFoldersAsync("m/feedback/", first, tree.ChildrenAsync))
        {
            days.Add(day);
        }

        return (days, tree.Listed);
    }

    [Fact]
    public async Task From_1970_every_existing_day_is_read_with_one_listing_per_existing_folder()
    {
        var (days, listed) = await WalkAsync("m/feedback/1970/01/01/");

        Assert.Equal(s_days, days);
        // The root, two years and four months: no day that has no folder is ever listed.
        Assert.Equal(["m/feedback/", "m/feedback/2025/", "m/feedback/2025/12/", "m/feedback/2026/", "m/feedback/2026/03/", "m/feedback/2026/11/"], listed);
    }

    [Theory]
    [InlineData("m/feedback/2026/03/05/", new[] { "m/feedback/2026/03/09/", "m/feedback/2026/11/01/" })]
    [InlineData("m/feedback/2026/03/09/", new[] { "m/feedback/2026/03/09/", "m/feedback/2026/11/01/" })]
    [InlineData("m/feedback/2026/01/15/", new[] { "m/feedback/2026/03/02/", "m/feedback/2026/03/09/", "m/feedback/2026/11/01/" })]
    [InlineData("m/feedback/2026/11/02/", new string[0])]
    public async Task Only_days_from_the_first_on_are_read_and_earlier_years_and_months_are_not_listed(string first, string[] expected)
    {
        var (days, listed) = await WalkAsync(first);

        Assert.Equal(expected, days);
        Assert.DoesNotContain("m/feedback/2025/", listed);
        Assert.DoesNotContain("m/feedback/2025/12/", listed);
    }
}
