using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

// raw <model.onnx> <seconds> <threads>: one-row Run throughput (OrtValue API, every output read) with the session options Flywheel uses.
// batch <model.onnx> <rows>: rows/s of one Run over a batch, every output read.
// constant <port>: a minimal Kestrel endpoint returning a constant JSON body.
return args switch
{
    ["raw", var model, var seconds, var threads] => Raw(model, double.Parse(seconds, CultureInfo.InvariantCulture), int.Parse(threads, CultureInfo.InvariantCulture)),
    ["batch", var model, var rows] => Batch(model, int.Parse(rows, CultureInfo.InvariantCulture)),
    ["constant", var port] => Constant(port),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: raw <model> <seconds> <threads> | batch <model> <rows> | constant <port>");
    return 2;
}

static InferenceSession Session(string model)
{
    using var options = new OrtSessionOptions
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        EnableCpuMemArena = true,
    };
    return new InferenceSession(model, options);
}

// The same rows Flywheel is sent, as a pinned native tensor: the OrtValue API, ONNX Runtime's fastest path from C#.
static OrtValue Rows(int rows)
{
    float[] row = [5.1f, 3.5f, 1.4f, 0.2f];
    var data = new float[rows * 4];
    for (var i = 0; i < rows; i++)
    {
        row.CopyTo(data, i * 4);
    }

    return OrtValue.CreateTensorValueFromMemory(data, [rows, 4]);
}

// Run, then touch every output value through the OrtValue API: the least any caller must do to use
// the result (the label tensor, and each ZipMap map's keys and values).
static double Run(InferenceSession session, RunOptions options, OrtValue input)
{
    using var results = session.Run(options, ["float_input"], [input], session.OutputNames);
    double checksum = 0;
    foreach (var output in results)
    {
        if (output.OnnxType == OnnxValueType.ONNX_TYPE_TENSOR)
        {
            checksum += output.GetTensorDataAsSpan<long>()[0];
            continue;
        }

        var count = output.GetValueCount();
        for (var i = 0; i < count; i++)
        {
            using var map = output.GetValue(i, OrtAllocator.DefaultInstance);
            using var keys = map.GetValue(0, OrtAllocator.DefaultInstance);
            using var values = map.GetValue(1, OrtAllocator.DefaultInstance);
            checksum += keys.GetTensorDataAsSpan<long>()[0] + values.GetTensorDataAsSpan<float>()[0];
        }
    }

    return checksum;
}

static int Raw(string model, double seconds, int threads)
{
    using var session = Session(model);
    using var options = new RunOptions();
    using (var warm = Rows(1))
    {
        Run(session, options, warm);
    }

    long total = 0;
    var watch = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(() =>
    {
        long count = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            using var input = Rows(1);
            Run(session, options, input);
            count++;
        }

        Interlocked.Add(ref total, count);
    })).ToArray();
    Task.WaitAll(workers);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw runs/s={total / watch.Elapsed.TotalSeconds:F0} threads={threads}"));
    return 0;
}

static int Batch(string model, int rows)
{
    using var session = Session(model);
    using var options = new RunOptions();
    using var input = Rows(rows);
    Run(session, options, input);

    var watch = Stopwatch.StartNew();
    const int repeats = 10;
    for (var i = 0; i < repeats; i++)
    {
        Run(session, options, input);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw batch rows/s={rows * repeats / watch.Elapsed.TotalSeconds:F0} rows={rows}"));
    return 0;
}

static int Constant(string port)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    var app = builder.Build();
    var body = """{"model":{"name":"iris","version":1},"predictions":[{"label":0,"probabilities":{"0":1,"1":0,"2":0}}]}"""u8.ToArray();
    app.MapPost("/predict", async context =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body);
    });
    app.Run();
    return 0;
}

