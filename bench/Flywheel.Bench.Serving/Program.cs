using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

// raw <model.onnx> <seconds> <threads>: one-row Run throughput (OrtValue API, every output read) with the session options Flywheel uses.
// batch <model.onnx> <rows>: rows/s of one Run over a batch, every output read.
// options <model.onnx> <seconds>: the session options matrix (intra-op threads, graph optimization, memory arena):
//   one-row Run throughput from 2 concurrent callers (as the server runs requests) and rows/s of a 1,000-row batch.
// csv <model.onnx> <file.csv> <chunkRows> <workers>: rows/s of Run over a CSV's first F numeric columns in chunks
//   (the tensors built before timing), chunks shared by <workers> threads: batch scoring's floor.
// constant <port>: a minimal Kestrel endpoint returning a constant JSON body.
// handwritten <iris|titanic> <model.onnx> <port>: what a user would write by hand instead of Flywheel: Kestrel
//   + ONNX Runtime for one model, parsing the fixed request shape straight into tensors and writing the answer.
return args switch
{
    ["raw", var model, var seconds, var threads] => Raw(model, double.Parse(seconds, CultureInfo.InvariantCulture), int.Parse(threads, CultureInfo.InvariantCulture)),
    ["options", var model, var seconds] => Options(model, double.Parse(seconds, CultureInfo.InvariantCulture)),
    ["batch", var model, var rows] => Batch(model, int.Parse(rows, CultureInfo.InvariantCulture)),
    ["csv", var model, var csv, var chunk, var workers] => Csv(model, csv, int.Parse(chunk, CultureInfo.InvariantCulture), int.Parse(workers, CultureInfo.InvariantCulture)),
    ["constant", var port] => Constant(port),
    ["handwritten", var kind, var model, var port] => HandWritten(kind, model, port),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: raw <model> <seconds> <threads> | batch <model> <rows> | options <model> <seconds> | constant <port>");
    return 2;
}

// Flywheel's choice (see ServingOptions and ModelSessionCache); the options mode varies each knob.
static InferenceSession Session(string model, int intraOpThreads = 1, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL, bool arena = true)
{
    using var options = new OrtSessionOptions
    {
        GraphOptimizationLevel = level,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = intraOpThreads,
        InterOpNumThreads = 1,
        EnableCpuMemArena = arena,
    };
    return new InferenceSession(model, options);
}

// The same rows Flywheel is sent (iris: 5.1, 3.5, 1.4, 0.2; other float models repeat that pattern to
// fill their first input's shape), as a pinned native tensor: the OrtValue API, ONNX Runtime's fastest path from C#.
static OrtValue Rows(InferenceSession session, int rows)
{
    float[] pattern = [5.1f, 3.5f, 1.4f, 0.2f];
    var dims = session.InputMetadata.First().Value.Dimensions.Select((d, i) => i == 0 ? rows : Math.Max(d, 1)).Select(d => (long)d).ToArray();
    var data = new float[dims.Aggregate(1L, (a, d) => a * d)];
    for (var i = 0; i < data.Length; i++)
    {
        data[i] = pattern[i % pattern.Length];
    }

    return OrtValue.CreateTensorValueFromMemory(data, dims);
}

// Run, then touch every output value through the OrtValue API: the least any caller must do to use
// the result (a label or score tensor, and each ZipMap map's keys and values).
static double Run(InferenceSession session, RunOptions options, OrtValue input)
{
    using var results = session.Run(options, [session.InputNames[0]], [input], session.OutputNames);
    double checksum = 0;
    foreach (var output in results)
    {
        if (output.OnnxType == OnnxValueType.ONNX_TYPE_TENSOR)
        {
            checksum += output.GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64
                ? output.GetTensorDataAsSpan<long>()[0]
                : output.GetTensorDataAsSpan<float>()[0];
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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw runs/s={RunsPerSecond(session, seconds, threads):F0} threads={threads}"));
    return 0;
}

static double RunsPerSecond(InferenceSession session, double seconds, int threads)
{
    using var options = new RunOptions();
    using (var warm = Rows(session, 1))
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
            using var input = Rows(session, 1);
            Run(session, options, input);
            count++;
        }

        Interlocked.Add(ref total, count);
    })).ToArray();
    Task.WaitAll(workers);
    return total / watch.Elapsed.TotalSeconds;
}

static int Batch(string model, int rows)
{
    using var session = Session(model);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw batch rows/s={RowsPerSecond(session, rows):F0} rows={rows}"));
    return 0;
}

static int Options(string model, double seconds)
{
    Console.WriteLine("intra-op threads | graph optimization | memory arena | one-row runs/s (2 callers) | 1,000-row batch rows/s");
    foreach (var threads in new[] { 1, 2 })
    {
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_BASIC, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            foreach (var arena in new[] { true, false })
            {
                using var session = Session(model, threads, level, arena);
                var runs = RunsPerSecond(session, seconds, 2);
                var rows = RowsPerSecond(session, 1000);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{threads} | {level} | {(arena ? "on" : "off")} | {runs:F0} | {rows:F0}"));
            }
        }
    }

    return 0;
}

static double RowsPerSecond(InferenceSession session, int rows)
{
    using var options = new RunOptions();
    using var input = Rows(session, rows);
    Run(session, options, input);

    var watch = Stopwatch.StartNew();
    const int repeats = 10;
    for (var i = 0; i < repeats; i++)
    {
        Run(session, options, input);
    }

    return rows * repeats / watch.Elapsed.TotalSeconds;
}

static int Csv(string model, string csv, int chunkRows, int workers)
{
    using var session = Session(model);
    var width = (int)session.InputMetadata.First().Value.Dimensions[1];
    var values = new List<float>();
    foreach (var line in File.ReadLines(csv).Skip(1))
    {
        var cells = line.Split(',');
        for (var i = 0; i < width; i++)
        {
            values.Add(float.Parse(cells[i], CultureInfo.InvariantCulture));
        }
    }

    var rows = values.Count / width;
    var chunks = new List<OrtValue>();
    for (var start = 0; start < rows; start += chunkRows)
    {
        var count = Math.Min(chunkRows, rows - start);
        chunks.Add(OrtValue.CreateTensorValueFromMemory(values.GetRange(start * width, count * width).ToArray(), [count, width]));
    }

    using var options = new RunOptions();
    Run(session, options, chunks[0]);
    var next = -1;
    var watch = Stopwatch.StartNew();
    var threads = Enumerable.Range(0, workers).Select(_ => Task.Run(() =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < chunks.Count)
        {
            Run(session, options, chunks[index]);
        }
    })).ToArray();
    Task.WaitAll(threads);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw csv rows/s={rows / watch.Elapsed.TotalSeconds:F0} rows={rows} chunkRows={chunkRows} workers={workers} seconds={watch.Elapsed.TotalSeconds:F2}"));
    chunks.ForEach(c => c.Dispose());
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

// The fixed shape {"records":[{...}]} read with Utf8JsonReader into the model's inputs, run, and the
// answer written as Flywheel writes it ({"predictions":[{"label", "probabilities"}]}), nothing else:
// no routing, no registry, no logging, no validation beyond what the parse needs.
static int HandWritten(string kind, string model, string port)
{
    var session = Session(model);
    var inputNames = session.InputNames.ToArray();
    var outputNames = session.OutputNames.ToArray();
    var runOptions = new RunOptions();
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    var app = builder.Build();
    app.MapPost("/predict", async context =>
    {
        var length = (int)(context.Request.ContentLength ?? 0);
        var body = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        await context.Request.Body.ReadExactlyAsync(body.AsMemory(0, length));
        using var inputs = kind == "iris" ? IrisInputs(body.AsSpan(0, length)) : TitanicInputs(body.AsSpan(0, length));
        System.Buffers.ArrayPool<byte>.Shared.Return(body);
        using var results = session.Run(runOptions, inputNames, inputs.Values, outputNames);
        context.Response.ContentType = "application/json";
        using var writer = new System.Text.Json.Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("predictions");
        writer.WriteStartObject();
        writer.WriteNumber("label", results[0].GetTensorDataAsSpan<long>()[0]);
        writer.WriteStartObject("probabilities");
        if (results[1].OnnxType == OnnxValueType.ONNX_TYPE_TENSOR)
        {
            var shares = results[1].GetTensorDataAsSpan<float>();
            for (var c = 0; c < shares.Length; c++)
            {
                writer.WriteNumber(c.ToString(CultureInfo.InvariantCulture), shares[c]);
            }
        }
        else
        {
            using var map = results[1].GetValue(0, OrtAllocator.DefaultInstance);
            using var keys = map.GetValue(0, OrtAllocator.DefaultInstance);
            using var values = map.GetValue(1, OrtAllocator.DefaultInstance);
            var k = keys.GetTensorDataAsSpan<long>();
            var v = values.GetTensorDataAsSpan<float>();
            for (var c = 0; c < k.Length; c++)
            {
                writer.WriteNumber(k[c].ToString(CultureInfo.InvariantCulture), v[c]);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync();
    });
    app.Run();
    return 0;
}

static Inputs IrisInputs(ReadOnlySpan<byte> body)
{
    var reader = new System.Text.Json.Utf8JsonReader(body);
    var features = new float[4];
    var count = 0;
    while (reader.Read())
    {
        if (reader.TokenType == System.Text.Json.JsonTokenType.Number && count < 4)
        {
            features[count++] = reader.GetSingle();
        }
    }

    return new Inputs([OrtValue.CreateTensorValueFromMemory(features, [1, 4])]);
}

static Inputs TitanicInputs(ReadOnlySpan<byte> body)
{
    var reader = new System.Text.Json.Utf8JsonReader(body);
    long pclass = 0;
    float age = float.NaN, fare = float.NaN;
    string sex = string.Empty, embarked = string.Empty;
    string? property = null;
    while (reader.Read())
    {
        switch (reader.TokenType)
        {
            case System.Text.Json.JsonTokenType.PropertyName:
                property = reader.GetString();
                break;
            case System.Text.Json.JsonTokenType.Number when property == "pclass":
                pclass = reader.GetInt64();
                break;
            case System.Text.Json.JsonTokenType.Number when property == "age":
                age = reader.GetSingle();
                break;
            case System.Text.Json.JsonTokenType.Number when property == "fare":
                fare = reader.GetSingle();
                break;
            case System.Text.Json.JsonTokenType.String when property == "sex":
                sex = reader.GetString()!;
                break;
            case System.Text.Json.JsonTokenType.String when property == "embarked":
                embarked = reader.GetString()!;
                break;
        }
    }

    return new Inputs(
    [
        OrtValue.CreateTensorValueFromMemory(new[] { pclass }, [1, 1]),
        OrtValue.CreateFromStringTensor(new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<string>(new[] { sex }, [1, 1])),
        OrtValue.CreateTensorValueFromMemory(new[] { age }, [1, 1]),
        OrtValue.CreateTensorValueFromMemory(new[] { fare }, [1, 1]),
        OrtValue.CreateFromStringTensor(new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<string>(new[] { embarked }, [1, 1])),
    ]);
}

internal sealed class Inputs(OrtValue[] values) : IDisposable
{
    public OrtValue[] Values { get; } = values;

    public void Dispose()
    {
        foreach (var value in Values)
        {
            value.Dispose();
        }
    }
}
