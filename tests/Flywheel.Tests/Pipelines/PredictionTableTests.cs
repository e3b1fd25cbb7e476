using System.Buffers;
using System.Text;
using Flywheel.Contracts.Pipelines;
using Flywheel.Pipelines.BatchScoring;
using Flywheel.Serving.Outputs;

namespace Flywheel.Tests.Pipelines;

public sealed class PredictionTableTests
{
    [Fact]
    public void Class_share_rows_and_dictionaries_write_the_same_csv_rows_under_the_same_columns()
    {
        var shares = new ClassShareRows(["setosa", "versicolor"], [0.25, 0.75, 1, 0]);
        object?[] fromRows = [Classifier(1L, shares[0]), Classifier(0L, shares[1])];
        object?[] fromDictionaries =
        [
            Classifier(1L, new Dictionary<string, double> { ["setosa"] = 0.25, ["versicolor"] = 0.75 }),
            Classifier(0L, new Dictionary<string, double> { ["setosa"] = 1, ["versicolor"] = 0 }),
        ];

        var columns = PredictionTable.Columns(fromRows[0]);

        Assert.Equal(["label", "probabilities.setosa", "probabilities.versicolor"], columns);
        Assert.Equal(columns, PredictionTable.Columns(fromDictionaries[0]));
        Assert.Equal("7,3,1,0.25,0.75\n8,3,0,1,0\n", Csv(columns, fromRows));
        Assert.Equal(Csv(columns, fromRows), Csv(columns, fromDictionaries));
    }

    [Fact]
    public void Csv_quotes_text_leaves_missing_and_non_finite_cells_empty_and_spreads_lists()
    {
        object?[] predictions =
        [
            new Dictionary<string, object?> { ["name"] = "a, \"b\"", ["score"] = double.NaN, ["vector"] = new List<object?> { 1.5f, 2L } },
            new Dictionary<string, object?> { ["name"] = null, ["vector"] = new List<object?> { 3f } },
        ];

        var columns = PredictionTable.Columns(predictions[0]);

        Assert.Equal(["name", "score", "vector.0", "vector.1"], columns);
        Assert.Equal("row,modelVersion,name,score,vector.0,vector.1\n", Encoding.UTF8.GetString(PredictionTable.CsvHeader(columns)));
        Assert.Equal("1,2,\"a, \"\"b\"\"\",,1.5,2\n2,2,,,3,\n", Csv(columns, predictions, firstRow: 1, version: 2));
    }

    [Fact]
    public void A_regressor_writes_one_prediction_column_and_json_lines_keep_the_prediction_whole()
    {
        object?[] predictions = [12.5, -3.0];
        var columns = PredictionTable.Columns(predictions[0]);
        var jsonl = new ArrayBufferWriter<byte>();
        PredictionTable.Write(jsonl, BatchOutputFormat.Jsonl, columns, 1, 4, predictions);

        Assert.Equal(["prediction"], columns);
        Assert.Equal("1,4,12.5\n2,4,-3\n", Csv(columns, predictions, firstRow: 1, version: 4));
        Assert.Equal("{\"row\":1,\"modelVersion\":4,\"prediction\":12.5}\n{\"row\":2,\"modelVersion\":4,\"prediction\":-3}\n", Encoding.UTF8.GetString(jsonl.WrittenSpan));
    }

    [Fact]
    public void Class_share_rows_read_as_dictionaries()
    {
        var rows = new ClassShareRows(["0", "1", "2"], [0.1, 0.2, 0.7, 0.5, 0.5, 0]);

        Assert.Equal(2, rows.Count);
        Assert.Equal(0.7, rows[0]["2"]);
        Assert.True(rows[1].TryGetValue("0", out var share) && share == 0.5);
        Assert.False(rows[1].ContainsKey("3"));
        Assert.Equal(["0", "1", "2"], rows[1].Keys);
        Assert.Throws<ArgumentOutOfRangeException>(() => rows[2]);
    }

    private static Dictionary<string, object?> Classifier(long label, IReadOnlyDictionary<string, double> probabilities) =>
        new() { ["label"] = label, ["probabilities"] = probabilities };

    private static string Csv(IReadOnlyList<string> columns, IReadOnlyList<object?> predictions, long firstRow = 7, int version = 3)
    {
        var output = new ArrayBufferWriter<byte>();
        PredictionTable.Write(output, BatchOutputFormat.Csv, columns, firstRow, version, predictions);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
