using System.Net;
using System.Text;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// What a request borrows on the serving path (its body's pooled buffer, the thread's response writer,
/// a model's pre-bound one-row run) goes to no other request before it is done: requests sent all at
/// once answer exactly as the same requests sent one by one.
/// </summary>
public sealed class ServingPoolingTests
{
    private static readonly (string Url, string Body)[] s_requests =
    [
        ("api/models/iris/predict", """{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}"""),
        ("api/models/iris/predict", """{"records":[{"float_input":[6.3,2.5,4.9,1.5]}]}"""),
        ("api/models/iris/predict", """{"records":[{"float_input":[7.7,3,6.1,2.3]},{"float_input":[5.0,3.4,1.5,0.2]}]}"""),
        ("api/models/titanic/predict", """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}"""),
        ("api/models/titanic/predict", """{"records":[{"pclass":3,"sex":"male","age":null,"fare":7.25,"embarked":"C"}]}"""),
        ("v2/models/iris/infer", """{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[6.7,3.0,5.2,2.3]}]}"""),
        ("v2/models/iris/infer", """{"id":"two","inputs":[{"name":"float_input","shape":[2,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2,6.3,2.5,4.9,1.5]}]}"""),
        ("v2/models/titanic/infer", """{"inputs":[{"name":"pclass","shape":[1,1],"datatype":"INT64","data":[2]},{"name":"sex","shape":[1,1],"datatype":"BYTES","data":["female"]},{"name":"age","shape":[1,1],"datatype":"FP32","data":[4.5]},{"name":"fare","shape":[1,1],"datatype":"FP32","data":[0]},{"name":"embarked","shape":[1,1],"datatype":"BYTES","data":["Q"]}]}"""),
        ("v2/models/titanic/infer", """{"inputs":[{"name":"pclass","shape":[1,1],"datatype":"INT64","data":[3]},{"name":"sex","shape":[1,1],"datatype":"BYTES","data":["male"]},{"name":"age","shape":[1,1],"datatype":"FP32","data":[60]},{"name":"fare","shape":[1,1],"datatype":"FP32","data":[8.05]},{"name":"embarked","shape":[1,1],"datatype":"BYTES","data":["S"]}],"outputs":[{"name":"label"}]}"""),
    ];

    [Fact]
    public async Task Requests_sent_all_at_once_answer_as_the_same_requests_sent_one_by_one()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "titanic", ModelFiles.TitanicPipeline);

        var expected = new List<string>();
        foreach (var (url, body) in s_requests)
        {
            expected.Add(await PostAsync(client, url, body));
        }

        var order = Enumerable.Range(0, 20 * s_requests.Length).Select(i => i % s_requests.Length).ToArray();
        var answers = await Task.WhenAll(order.Select(i => PostAsync(client, s_requests[i].Url, s_requests[i].Body)));

        for (var i = 0; i < order.Length; i++)
        {
            Assert.Equal(expected[order[i]], answers[i]);
        }
    }

    private static async Task<string> PostAsync(HttpClient client, string url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(url, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }
}
