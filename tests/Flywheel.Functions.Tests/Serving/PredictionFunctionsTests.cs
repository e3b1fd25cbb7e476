using System.Text;
using System.Text.Json;
using Flywheel.Api.Serving;
using Flywheel.Contracts.Registry;
using Flywheel.Functions.Serving;
using Flywheel.Registry;
using Flywheel.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests.Serving;

/// <summary>The Functions host's predict function takes what LocalHost's route takes: a text/csv body, with extra columns left out when the query asks.</summary>
public sealed class PredictionFunctionsTests
{
    [Fact]
    public async Task Predict_function_scores_a_csv_body_and_leaves_out_extra_columns_when_asked()
    {
        await using var services = DatasetFunctionsTests.Services();
        await services.GetRequiredService<ModelRegistry>().RegisterAsync("fn-csv", File.ReadAllBytes(SharedModels.PathOf("03_skl2onnx_titanic_pipeline_nozipmap")), new ModelRegistration(), null, CancellationToken.None);
        var functions = ActivatorUtilities.CreateInstance<PredictionFunctions>(services);

        var json = await PredictAsync(services, functions, "application/json", """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}""", null);
        var csv = await PredictAsync(services, functions, "text/csv", "id,pclass,sex,age,fare,embarked,survived\n7,1,female,29,211.3,S,1\n", "?extraColumns=ignore");

        Assert.Equal((StatusCodes.Status200OK, StatusCodes.Status200OK), (json.Status, csv.Status));
        Assert.Equal(json.Body, csv.Body);
        Assert.Equal("2", csv.Headers[PredictionEndpoints.IgnoredColumnsHeader].ToString());
        Assert.Equal("id, survived", csv.Headers[PredictionEndpoints.IgnoredColumnNamesHeader].ToString());
    }

    private static async Task<(int Status, string Body, IHeaderDictionary Headers)> PredictAsync(IServiceProvider services, PredictionFunctions functions, string contentType, string body, string? query)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.QueryString = new QueryString(query);
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Response.Body = new MemoryStream();

        var result = await functions.Predict(context.Request, "fn-csv", CancellationToken.None);
        await result.ExecuteAsync(context);
        // The answer is written into the pipe for the server to flush; there is no server here.
        await context.Response.BodyWriter.FlushAsync();

        context.Response.Body.Position = 0;
        using var answer = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, answer.RootElement.GetProperty("predictions").GetRawText(), context.Response.Headers);
    }
}
