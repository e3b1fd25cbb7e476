using System.Globalization;
using System.Text.Json;
using Flywheel.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Flywheel.Cli.Output;

/// <summary>
/// Every command's results go through here. JSON is the contract record (or a list of them as an array) serialized
/// with <see cref="FlywheelJson.CreateOptions"/>, one document per command, so it is as stable as the API's own
/// answers; a table is drawn from the same record. Notes for a person go to stdout under a table and to stderr
/// under JSON, so piped JSON always parses.
/// </summary>
internal sealed class OutputWriter(OutputFormat format, IAnsiConsole console, TextWriter json, TextWriter error)
{
    private static readonly JsonSerializerOptions s_json = CreateJsonOptions();

    public OutputFormat Format => format;

    public IAnsiConsole Console => console;

    /// <summary>One record: its JSON, or the table <paramref name="table"/> draws of it.</summary>
    public void Write<T>(T value, Func<T, IRenderable> table)
    {
        if (format == OutputFormat.Json)
        {
            json.WriteLine(JsonSerializer.Serialize(value, s_json));
        }
        else
        {
            console.Write(table(value));
        }
    }

    /// <summary>A list: a JSON array, or a table with one row per item.</summary>
    public void WriteList<T>(IReadOnlyList<T> items, params (string Header, Func<T, object?> Cell)[] columns) =>
        Write(items, rows => Rows(rows, columns));

    /// <summary>A sentence for a person (what happened, what to run next).</summary>
    public void Note(string text)
    {
        if (format == OutputFormat.Json)
        {
            error.WriteLine(text);
        }
        else
        {
            console.MarkupLineInterpolated($"{text}");
        }
    }

    /// <summary>Plain text that is the result itself (a model card): the same in both formats.</summary>
    public void Text(string text) => json.WriteLine(text);

    public static Table Rows<T>(IEnumerable<T> items, params (string Header, Func<T, object?> Cell)[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var item in items)
        {
            table.AddRow(columns.Select(c => (IRenderable)new Text(Cell(c.Cell(item)))).ToArray());
        }

        return table;
    }

    /// <summary>A record's fields as name/value lines.</summary>
    public static Grid Fields(params (string Name, object? Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(Cell(value)));
        }

        return grid;
    }

    public static string Cell(object? value) => value switch
    {
        null => "-",
        string s => s,
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        JsonElement e => e.ToString(),
        System.Collections.IDictionary d => string.Join(", ", d.Keys.Cast<object>().Select(k => $"{k}={Cell(d[k])}")),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => string.Join(", ", list.Cast<object?>().Select(Cell)),
        _ => value.ToString() ?? "-",
    };

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = FlywheelJson.CreateOptions();
        options.WriteIndented = true;
        return options;
    }
}
