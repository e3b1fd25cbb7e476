using System.Text.Json;
using Flywheel.Api.Serving;
using Flywheel.Contracts.Registry;
using Flywheel.Registry;
using Flywheel.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests.Serving;

/// <summary>The Functions host's predict function takes what LocalHost's route takes: a text/csv body, with extra columns left out when the query asks.</summary>
public sealed class PredictionFunctionsTests
{
    [Fact]
    public async Task The_generated_Predict_function_scores_a_csv_body_and_leaves_out_extra_columns_when_asked()
    {
        await using var services = DatasetFunctionsTests.Services();
        await services.GetRequiredService<ModelRegistry>().RegisterAsync("fn-csv", File.ReadAllBytes(SharedModels.PathOf("03_skl2onnx_titanic_pipeline_nozipmap")), new ModelRegistration(), null, CancellationToken.None);

        var json = await HttpInvocation.RunAsync(services, (f, r) => f.Predict(r), "POST", "/api/models/fn-csv/predict",
            contentType: "application/json", body: """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}""");
        var csv = await HttpInvocation.RunAsync(services, (f, r) => f.Predict(r), "POST", "/api/models/fn-csv/predict",
            "?extraColumns=ignore", "text/csv", "id,pclass,sex,age,fare,embarked,survived\n7,1,female,29,211.3,S,1\n");

        Assert.Equal((StatusCodes.Status200OK, StatusCodes.Status200OK), (json.Status, csv.Status));
        Assert.Equal(Predictions(json.Body), Predictions(csv.Body));
        Assert.Equal("2", csv.Headers[PredictionHandlers.IgnoredColumnsHeader].ToString());
        Assert.Equal("id, survived", csv.Headers[PredictionHandlers.IgnoredColumnNamesHeader].ToString());
    }

    private static string Predictions(string body)
    {
        using var answer = JsonDocument.Parse(body);
        return answer.RootElement.GetProperty("predictions").GetRawText();
    }
}
