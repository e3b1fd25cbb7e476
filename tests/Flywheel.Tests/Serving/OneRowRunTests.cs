using System.Collections.Concurrent;
using System.Text;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Runtime;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// Pre-bound, pooled one-row Runs (<see cref="OneRowRuns"/>): a row read into a rented run answers
/// exactly as the same row bound to fresh tensors and run unbound, whatever rows the run held before,
/// and however many requests share the pool at once; a run is never rented to two requests in flight.
/// </summary>
public sealed class OneRowRunTests
{
    private static readonly string[] s_irisRows =
    [
        """{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}""",
        """{"records":[{"float_input":[6.3,2.5,4.9,1.5]}]}""",
        """{"records":[{"float_input":[7.7,3,6.1,2.3]}]}""",
        """{"records":[{"float_input":[1e-3,-0.5,null,12345678.9]}]}""",
        """{"records":[{"float_input":[5.9,3.0,5.1,1.8]}]}""",
    ];

    private static readonly string[] s_titanicRows =
    [
        """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}""",
        """{"records":[{"embarked":"C","fare":7.25,"age":null,"sex":"male","pclass":3.0}]}""",
        """{"records":[{"pclass":2,"sex":"female","age":4.5,"fare":0,"embarked":"Q"}]}""",
        """{"records":[{"\u0061ge":80,"pclass":1,"sex":"m\u00e4le","fare":1e2,"embarked":""}]}""",
    ];

    public static TheoryData<string> Models => [ModelFiles.IrisZipMap, ModelFiles.TitanicPipeline];

    [Theory]
    [MemberData(nameof(Models))]
    public void One_run_reused_for_row_after_row_answers_each_as_an_unbound_run(string modelFile)
    {
        using var model = LoadedModels.Load(modelFile, null);
        var runs = model.OneRow;
        Assert.NotNull(runs);
        var run = runs.Rent();
        Assert.NotNull(run);
        var rows = RowsOf(modelFile);

        // Twice through, so every row follows another row's values in the same arrays.
        foreach (var body in rows.Concat(rows.Reverse()))
        {
            Assert.Equal(Unbound(model, body), Bound(model, runs, run, body));
        }

        runs.Return(run);
    }

    [Fact]
    public async Task Concurrent_one_row_requests_on_the_pool_answer_as_sequential_ones_and_never_share_a_run()
    {
        using var model = LoadedModels.Load(ModelFiles.TitanicPipeline, null);
        var runs = model.OneRow!;
        var expected = s_titanicRows.ToDictionary(body => body, body => Unbound(model, body));
        var inFlight = new ConcurrentDictionary<OneRowRun, bool>();
        var shared = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                var body = s_titanicRows[(worker + i) % s_titanicRows.Length];
                var run = runs.Rent()!;
                if (!inFlight.TryAdd(run, true))
                {
                    Interlocked.Increment(ref shared);
                }

                var answer = Bound(model, runs, run, body);
                inFlight.TryRemove(run, out _);
                runs.Return(run);
                Assert.Equal(expected[body], answer);
            }
        })));

        Assert.Equal(0, shared);
    }

    [Fact]
    public void A_rented_run_goes_to_no_other_request_until_it_is_returned()
    {
        using var model = LoadedModels.Load(ModelFiles.IrisZipMap, null);
        var runs = model.OneRow!;
        var first = runs.Rent()!;
        var second = runs.Rent()!;
        Assert.NotSame(first, second);

        runs.Return(first);
        Assert.Same(first, runs.Rent());

        runs.Disable();
        Assert.Null(runs.Rent());
        runs.Return(first);
        runs.Return(second);
    }

    [Fact]
    public void A_model_with_an_output_that_is_not_one_per_row_gets_no_bound_runs()
    {
        // The output is the input's shape, [2] whatever the rows: not a batch of one-row outputs to bind.
        var graph = new OnnxGraph("x", width: 2, opset: 13).Node("Shape", "x", "y").TensorOutput("y", OnnxGraph.Int64).ToBytes();
        using var model = LoadedModels.Load(graph, null);
        Assert.Null(model.OneRow);
    }

    private static string[] RowsOf(string modelFile) => modelFile == ModelFiles.IrisZipMap ? s_irisRows : s_titanicRows;

    private static string Bound(LoadedModel model, OneRowRuns runs, OneRowRun run, string body)
    {
        Assert.True(model.Inputs.Records!.TryRead(Encoding.UTF8.GetBytes(body), run.Inputs, out var rows, out var inputs));
        Assert.Null(inputs);
        return Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(Predictor.Run(model, runs, run), rows)));
    }

    private static string Unbound(LoadedModel model, string body)
    {
        using var inputs = model.Inputs.Records!.TryRead(Encoding.UTF8.GetBytes(body), out var rows);
        Assert.NotNull(inputs);
        return Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(Predictor.Run(model, inputs), rows)));
    }
}
