using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

// raw <model.onnx> <seconds> <threads>: one-row Run throughput with the session options Flywheel uses.
// batch <model.onnx> <rows>: rows/s of one Run over a batch.
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

static NamedOnnxValue Rows(int rows)
{
    float[] row = [5.1f, 3.5f, 1.4f, 0.2f];
    var data = new float[rows * 4];
    for (var i = 0; i < rows; i++)
    {
        row.CopyTo(data, i * 4);
    }

    return NamedOnnxValue.CreateFromTensor("float_input", new DenseTensor<float>(data, [rows, 4]));
}

static int Raw(string model, double seconds, int threads)
{
    using var session = Session(model);
    using (session.Run([Rows(1)]))
    {
    }

    long total = 0;
    var watch = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(() =>
    {
        long count = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            using var results = session.Run([Rows(1)]);
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
    var input = Rows(rows);
    using (session.Run([input]))
    {
    }

    var watch = Stopwatch.StartNew();
    const int repeats = 10;
    for (var i = 0; i < repeats; i++)
    {
        using var results = session.Run([input]);
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
