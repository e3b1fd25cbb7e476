using System.Globalization;
using System.Net;
using System.Text;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Training;
using Flywheel.Tests.Datasets;
using Flywheel.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Training;

/// <summary>One LocalHost holding the shared datasets (real profiles) and two small hand-made ones, uploaded once for the class.</summary>
public sealed class TrainingDatasets : IAsyncLifetime
{
    private FlywheelApp? _app;

    public IServiceProvider Services => _app!.Services;

    public HttpClient CreateClient() => _app!.CreateClient();

    public TrainingPlanner Planner => Services.GetRequiredService<TrainingPlanner>();

    public async Task InitializeAsync()
    {
        _app = new FlywheelApp();
        using var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "adult", File.ReadAllBytes(DatasetFiles.Adult), "adult.csv")).Status);
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "titanic", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "bikes", File.ReadAllBytes(DatasetFiles.Shared("bike_sharing_hourly/hour_train.csv")), "hour_train.csv")).Status);
        var small = new StringBuilder("x,y,one,when\n");
        for (var i = 0; i < 10; i++)
        {
            small.Append(CultureInfo.InvariantCulture, $"{i},{i % 2},same,2026-01-0{(i % 9) + 1}\n");
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "tiny", Encoding.UTF8.GetBytes(small.ToString()), "tiny.csv")).Status);
        var codes = new StringBuilder("id,code,value\n");
        for (var i = 0; i < 600; i++)
        {
            codes.Append(CultureInfo.InvariantCulture, $"r{i},c{i % 60},{i}\n");
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "codes", Encoding.UTF8.GetBytes(codes.ToString()), "codes.csv")).Status);
        var few = new StringBuilder("x,y\n");
        for (var i = 0; i < 30; i++)
        {
            few.Append(CultureInfo.InvariantCulture, $"{i * 7 % 30},{i % 2}\n");
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "few", Encoding.UTF8.GetBytes(few.ToString()), "few.csv")).Status);
        var ids = new StringBuilder("id,offset,spaced,shuffled,g\n");
        for (var i = 1; i <= 200; i++)
        {
            ids.Append(CultureInfo.InvariantCulture, $"{i},{1000 + i},{i * 10},{(i * 37 % 200) + 1},{i % 4}\n");
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "rowids", Encoding.UTF8.GetBytes(ids.ToString()), "rowids.csv")).Status);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>The checks a training request passes before anything starts, on the shared datasets' real profiles.</summary>
public sealed class TrainingPlannerTests(TrainingDatasets data) : IClassFixture<TrainingDatasets>
{
    private static TrainingRequest Request(string dataset, string label) => new() { Model = "m1-model", Dataset = dataset, Label = label };

    [Fact]
    public async Task Auto_picks_binary_multiclass_or_regression_from_the_label_and_the_metric_to_match()
    {
        var planner = data.Planner;

        var income = await planner.PlanAsync(Request("adult", "income") with { Exclude = ["fnlwgt"] }, CancellationToken.None);
        var hours = await planner.PlanAsync(Request("adult", "hours_per_week"), CancellationToken.None);
        var education = await planner.PlanAsync(Request("adult", "education"), CancellationToken.None);
        var survived = await planner.PlanAsync(Request("titanic", "survived"), CancellationToken.None);

        Assert.Equal((TrainingTask.Binary, "auc"), (income.Task, income.Metric));
        Assert.Equal(["<=50K", ">50K"], income.Classes);
        Assert.DoesNotContain("fnlwgt", income.Features.Select(f => f.Name));
        Assert.DoesNotContain("income", income.Features.Select(f => f.Name));
        Assert.Equal(FeatureKind.Categorical, income.Features.Single(f => f.Name == "native_country").Kind);
        Assert.Equal(FeatureKind.Numeric, income.Features.Single(f => f.Name == "age").Kind);
        Assert.Empty(income.SkippedFeatures);
        Assert.Equal(13, income.Features.Count);
        Assert.Equal(["lightgbm", "fasttree", "linear"], income.Trainers);
        Assert.Equal(TimeSpan.FromDays(3), income.ApprovalTimeout);
        Assert.Equal((TrainingTask.Regression, "rmse"), (hours.Task, hours.Metric));
        Assert.Null(hours.Classes);
        Assert.Equal((TrainingTask.Multiclass, "macro-logloss"), (education.Task, education.Metric));
        // Sixteen classes, more than the profile's top values hold: the split step enumerates them from the rows.
        Assert.Null(education.Classes);
        Assert.Equal(["lightgbm", "linear"], education.Trainers);
        Assert.Equal(TrainingTask.Binary, survived.Task);
        Assert.Equal(1, survived.DatasetVersion);
    }

    [Fact]
    public async Task Id_like_text_is_not_a_feature_and_the_plan_says_why()
    {
        // "value" is 0..599 itself, an id-like label: trained only when regression is asked for.
        var plan = await data.Planner.PlanAsync(Request("codes", "value") with { Task = TrainingTask.Regression }, CancellationToken.None);

        Assert.Equal(TrainingTask.Regression, plan.Task);
        Assert.Equal([new FeatureSpec("code", FeatureKind.Categorical)], plan.Features);
        Assert.Contains("600 distinct values", plan.SkippedFeatures["id"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("adult", "nope", null, "'nope' is not a column")]
    [InlineData("adult", "income", "binary-features", "Column 'salary' is not in 'adult'")]
    [InlineData("codes", "code", null, "too many classes")]
    [InlineData("titanic", "name", null, "fewer than 3 rows per class")]
    [InlineData("tiny", "one", null, "a single value")]
    [InlineData("tiny", "when", null, "dates and times")]
    [InlineData("tiny", "y", null, "training needs at least 20")]
    [InlineData("adult", "education", "binary", "a binary task needs exactly 2")]
    [InlineData("adult", "workclass", "regression", "a regression task needs a numeric label")]
    public async Task A_label_or_feature_the_data_cannot_support_is_a_422_naming_the_column(string dataset, string label, string? twist, string expected)
    {
        var planner = data.Planner;
        var request = Request(dataset, label) with
        {
            Task = twist switch { "binary" => TrainingTask.Binary, "regression" => TrainingTask.Regression, _ => TrainingTask.Auto },
            Features = twist == "binary-features" ? ["age", "salary"] : null,
        };

        var failure = await Assert.ThrowsAsync<FlywheelException>(() => planner.PlanAsync(request, CancellationToken.None));

        Assert.Equal(ErrorKind.Unprocessable, failure.Kind);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trials", "trials must be within [1, 200]")]
    [InlineData("split", "split.test and split.validation")]
    [InlineData("metric", "'rmse' is not a binary metric: use auto or one of auc")]
    [InlineData("trainer", "'xgboost' is not a binary trainer")]
    [InlineData("timeout", "approvalTimeout must be an ISO 8601 duration")]
    [InlineData("label-feature", "cannot also be a feature")]
    [InlineData("model-name", "is not a valid model name")]
    public async Task A_request_that_contradicts_itself_is_a_400(string mistake, string expected)
    {
        var planner = data.Planner;
        var request = Request("adult", "income");
        request = mistake switch
        {
            "trials" => request with { Trials = 0 },
            "split" => request with { Split = new SplitSpec(0.5, 0.4) },
            "metric" => request with { Metric = "rmse" },
            "trainer" => request with { Trainers = ["xgboost"] },
            "timeout" => request with { ApprovalTimeout = "3 days" },
            "label-feature" => request with { Features = ["age", "income"] },
            _ => request with { Model = "Not A Name" },
        };

        var failure = await Assert.ThrowsAsync<FlywheelException>(() => planner.PlanAsync(request, CancellationToken.None));

        Assert.Equal(ErrorKind.InvalidInput, failure.Kind);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.2, 0.15, "the validation part about 4 rows")]
    [InlineData(0.1, 0.3, "the test part about 3 rows")]
    [InlineData(0.3, 0.1, "the validation part about 3 rows")]
    public async Task Data_too_small_for_its_split_is_a_422_naming_the_part_and_the_minimum(double test, double validation, string expected)
    {
        var request = Request("few", "y") with { Split = new SplitSpec(test, validation), Features = ["x"] };

        var failure = await Assert.ThrowsAsync<FlywheelException>(() => data.Planner.PlanAsync(request, CancellationToken.None));

        Assert.Equal(ErrorKind.Unprocessable, failure.Kind);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"at least {TrainingPlanner.MinPartRows} rows in the test part and in the validation part", failure.Message, StringComparison.Ordinal);
        Assert.Equal("y", failure.Extensions["column"]);
    }

    [Fact]
    public async Task Data_whose_parts_reach_the_minimum_at_larger_shares_is_planned()
    {
        var plan = await data.Planner.PlanAsync(Request("few", "y") with { Split = new SplitSpec(0.35, 0.3), Features = ["x"] }, CancellationToken.None);

        Assert.Equal(TrainingTask.Binary, plan.Task);
        Assert.Equal(30, plan.LabelledRows);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-42)]
    [InlineData(int.MinValue)]
    public async Task A_negative_seed_is_a_400_because_it_would_repeat_its_positive_twins_run(int seed)
    {
        var failure = await Assert.ThrowsAsync<FlywheelException>(() => data.Planner.PlanAsync(Request("adult", "income") with { Seed = seed }, CancellationToken.None));

        Assert.Equal(ErrorKind.InvalidInput, failure.Kind);
        Assert.Contains($"seed must be zero or positive; it is {seed}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seed_of_zero_is_planned()
    {
        var plan = await data.Planner.PlanAsync(Request("adult", "income") with { Seed = 0 }, CancellationToken.None);

        Assert.Equal(0, plan.Request.Seed);
    }

    [Theory]
    [InlineData("id", TrainingTask.Auto)]
    [InlineData("offset", TrainingTask.Auto)]
    [InlineData("shuffled", TrainingTask.Auto)]
    [InlineData("id", TrainingTask.Multiclass)]
    public async Task An_id_like_integer_label_is_a_422_naming_the_column_unless_regression_is_asked_for(string label, TrainingTask task)
    {
        var failure = await Assert.ThrowsAsync<FlywheelException>(() => data.Planner.PlanAsync(Request("rowids", label) with { Task = task, Features = ["g"] }, CancellationToken.None));

        Assert.Equal(ErrorKind.Unprocessable, failure.Kind);
        Assert.Contains($"The label '{label}' looks like an id", failure.Message, StringComparison.Ordinal);
        Assert.Equal(label, failure.Extensions["column"]);
    }

    [Theory]
    [InlineData("id", TrainingTask.Regression)]
    [InlineData("spaced", TrainingTask.Auto)]
    public async Task An_integer_label_asked_to_regress_or_spread_beyond_its_count_is_a_regression(string label, TrainingTask task)
    {
        var plan = await data.Planner.PlanAsync(Request("rowids", label) with { Task = task, Features = ["g"] }, CancellationToken.None);

        Assert.Equal(TrainingTask.Regression, plan.Task);
    }

    [Fact]
    public async Task An_unknown_dataset_version_is_a_404()
    {
        var planner = data.Planner;

        var failure = await Assert.ThrowsAsync<FlywheelException>(() => planner.PlanAsync(Request("adult", "income") with { DatasetVersion = VersionReference.Of(7) }, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, failure.Kind);
    }
}
