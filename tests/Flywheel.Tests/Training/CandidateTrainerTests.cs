using Flywheel.Contracts.Training;
using Flywheel.Storage;
using Flywheel.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Training;

/// <summary>Candidates fitted with ML.NET on real split frames, scored on the validation rows.</summary>
public sealed class CandidateTrainerTests(TrainingDatasets data) : IClassFixture<TrainingDatasets>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("flywheel-train-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<(TrainingPlan Plan, DataSplit Split, string Train, string Validation)> FramesAsync(TrainingRequest request)
    {
        var plan = await data.Planner.PlanAsync(request, CancellationToken.None);
        var split = await data.Services.GetRequiredService<DataSplitter>().SplitAsync(plan, CancellationToken.None);
        var frames = await data.Services.GetRequiredService<TrainingFrames>().WriteAsync(plan, split, CancellationToken.None);
        var container = await data.Services.GetRequiredService<StorageClients>().ContainerAsync(StorageNames.DatasetsContainer, CancellationToken.None);
        var folder = Path.Combine(_work, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var train = Path.Combine(folder, "train.csv");
        var validation = Path.Combine(folder, "validation.csv");
        await container.GetBlobClient(frames.Train).DownloadToAsync(train);
        await container.GetBlobClient(frames.Validation).DownloadToAsync(validation);
        return (plan, split, train, validation);
    }

    private static TrialSpec Defaults(string trainer) => new(trainer, new Dictionary<string, double>());

    [Theory]
    [InlineData("lightgbm", 0.92)]
    [InlineData("fasttree", 0.92)]
    [InlineData("linear", 0.89)]
    public async Task Binary_candidates_on_adult_reach_the_auc_the_research_measured(string trainer, double minimumAuc)
    {
        var (plan, split, train, validation) = await FramesAsync(new TrainingRequest { Model = "adult-income", Dataset = "adult", Label = "income", Trainers = [trainer] });

        var fitted = CandidateTrainer.Fit(plan, split.Classes, Defaults(trainer), train);
        var metrics = CandidateTrainer.Evaluate(plan, fitted, validation);

        Assert.True(metrics["auc"] >= minimumAuc, $"{trainer}: AUC {metrics["auc"]}");
        Assert.InRange(metrics["logloss"], 0.2, 0.45);
        Assert.Equal(["accuracy", "auc", "f1", "logloss", "prauc", "precision", "recall"], metrics.Keys.Order());
    }

    [Theory]
    [InlineData("adult", "income", "lightgbm")]
    [InlineData("adult", "income", "linear")]
    [InlineData("adult", "relationship", "lightgbm")]
    [InlineData("bikes", "cnt", "fasttree")]
    public async Task The_onnx_export_takes_exactly_the_features_and_answers_as_mlnet_does(string dataset, string label, string trainer)
    {
        var (plan, split, train, validation) = await FramesAsync(new TrainingRequest
        {
            Model = "exported", Dataset = dataset, Label = label, Exclude = dataset == "bikes" ? ["instant", "dteday", "casual", "registered"] : [],
        });
        var fitted = CandidateTrainer.Fit(plan, split.Classes, Defaults(trainer), train);

        var onnx = CandidateExport.Export(plan, fitted, validation);
        var parity = CandidateExport.Parity(plan, fitted, onnx, validation);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        Assert.Equal(plan.Features.Select(f => f.Name).Order(), session.InputMetadata.Keys.Order());
        Assert.Equal(plan.Task == TrainingTask.Regression ? ["prediction"] : ["label", "probabilities"], session.OutputMetadata.Keys.Order());
        Assert.True(parity.Passed, parity.ToString());
        Assert.Equal(split.Validation, parity.Rows);
    }

    [Fact]
    public async Task An_exported_candidate_registers_and_serves_records_through_flywheel()
    {
        var (plan, split, train, validation) = await FramesAsync(new TrainingRequest { Model = "adult-income", Dataset = "adult", Label = "income" });
        var onnx = CandidateExport.Export(plan, CandidateTrainer.Fit(plan, split.Classes, Defaults("lightgbm"), train), validation);
        using var client = data.CreateClient();

        await Registry.ModelFiles.RegisterAsync(client, "trained-income", onnx);
        using var content = new StringContent("""
            {"records": [{"age": 52, "workclass": "Self-emp-inc", "education": "Masters", "education_num": 14, "marital_status": "Married-civ-spouse",
                          "occupation": "Exec-managerial", "relationship": "Husband", "race": "White", "sex": "Male", "capital_gain": 15024,
                          "capital_loss": 0, "hours_per_week": 50, "native_country": "United-States", "fnlwgt": 209642}]}
            """, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("api/models/trained-income/predict", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        // A married executive with a large capital gain: the class as the data names it, and a probability per class.
        var prediction = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("predictions")[0];
        Assert.Equal(">50K", prediction.GetProperty("label").GetString());
        var probabilities = prediction.GetProperty("probabilities");
        Assert.True(probabilities.GetProperty(">50K").GetDouble() > 0.5, body);
        Assert.Equal(1, probabilities.GetProperty("<=50K").GetDouble() + probabilities.GetProperty(">50K").GetDouble(), 5);
    }

    [Fact]
    public async Task The_same_seed_fits_the_same_candidate()
    {
        var (plan, split, train, validation) = await FramesAsync(new TrainingRequest { Model = "adult-income", Dataset = "adult", Label = "income", Seed = 3 });
        var spec = new TrialSpec("lightgbm", new Dictionary<string, double> { ["leaves"] = 15, ["learningRate"] = 0.05, ["iterations"] = 150 });

        var first = CandidateTrainer.Evaluate(plan, CandidateTrainer.Fit(plan, split.Classes, spec, train), validation);
        var second = CandidateTrainer.Evaluate(plan, CandidateTrainer.Fit(plan, split.Classes, spec, train), validation);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task An_early_stopped_trial_chooses_fewer_rounds_than_its_cap_and_the_refit_at_them_is_the_same_model()
    {
        var (plan, split, train, validation) = await FramesAsync(new TrainingRequest { Model = "adult-income", Dataset = "adult", Label = "income", Seed = 5 });
        // A high learning rate overfits Adult within a few dozen rounds, well before the cap.
        var spec = new TrialSpec("lightgbm", new Dictionary<string, double> { ["learningRate"] = 0.3, ["leaves"] = 63 });

        var first = CandidateTrainer.FitTrial(plan, split.Classes, spec, train, validation);
        var second = CandidateTrainer.FitTrial(plan, split.Classes, spec, train, validation);
        var refit = CandidateTrainer.Fit(plan, split.Classes, first.Spec, train);

        var rounds = first.Spec.Parameters["iterations"];
        Assert.InRange(rounds, 1, CandidateTrainer.MaxEarlyStoppedIterations - CandidateTrainer.EarlyStoppingPatience);
        Assert.Equal(CandidateTrainer.MaxEarlyStoppedIterations, first.Spec.Parameters["maxIterations"]);
        Assert.Equal(first.Spec.Parameters, second.Spec.Parameters);
        var metrics = CandidateTrainer.Evaluate(plan, first, validation);
        Assert.Equal(metrics, CandidateTrainer.Evaluate(plan, second, validation));
        // The recorded rounds are the model's: boosting exactly that many without a validation set gives the same scores.
        Assert.Equal(metrics, CandidateTrainer.Evaluate(plan, refit, validation));
    }

    [Fact]
    public async Task A_fixed_round_trainer_keeps_its_rounds_when_fitted_as_a_trial()
    {
        var (plan, split, train, validation) = await FramesAsync(new TrainingRequest { Model = "adult-income", Dataset = "adult", Label = "income" });
        var spec = new TrialSpec("fasttree", new Dictionary<string, double> { ["iterations"] = 40 });

        var fitted = CandidateTrainer.FitTrial(plan, split.Classes, spec, train, validation);

        Assert.Same(spec, fitted.Spec);
    }

    [Fact]
    public async Task A_regression_candidate_on_bike_hours_predicts_counts()
    {
        var (plan, _, train, validation) = await FramesAsync(new TrainingRequest
        {
            Model = "bikes", Dataset = "bikes", Label = "cnt", Exclude = ["instant", "dteday", "casual", "registered"],
        });

        var metrics = CandidateTrainer.Evaluate(plan, CandidateTrainer.Fit(plan, null, Defaults("lightgbm"), train), validation);

        Assert.Equal(TrainingTask.Regression, plan.Task);
        Assert.True(metrics["rmse"] < 80, $"RMSE {metrics["rmse"]}");
        Assert.True(metrics["r2"] > 0.85, $"R2 {metrics["r2"]}");
    }

    [Fact]
    public async Task A_multiclass_candidate_reports_macro_and_micro_metrics()
    {
        var (plan, split, train, validation) = await FramesAsync(new TrainingRequest { Model = "adult-relationship", Dataset = "adult", Label = "relationship" });

        var metrics = CandidateTrainer.Evaluate(plan, CandidateTrainer.Fit(plan, split.Classes, Defaults("lightgbm"), train), validation);

        Assert.Equal(TrainingTask.Multiclass, plan.Task);
        Assert.Equal(6, split.Classes!.Count);
        Assert.True(metrics["micro-accuracy"] > 0.7, $"micro accuracy {metrics["micro-accuracy"]}");
        Assert.InRange(metrics["macro-f1"], 0.3, 1);
        Assert.True(metrics["macro-logloss"] > 0);
    }
}
