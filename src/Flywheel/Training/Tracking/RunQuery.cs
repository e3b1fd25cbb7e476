using System.Globalization;
using System.Text.RegularExpressions;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Training;

namespace Flywheel.Training.Tracking;

/// <summary>
/// MLflow's run search grammar, parsed once at the edge: <c>filter</c> is clauses joined by
/// <c>and</c>, each <c>entity.key op value</c> with entity <c>metrics</c>, <c>params</c> or
/// <c>attributes</c> (singular forms and <c>attr</c>/<c>run</c> too), keys plain, backticked or
/// double-quoted, numbers compared with <c>= != &gt; &gt;= &lt; &lt;=</c> and strings with
/// <c>= != LIKE ILIKE</c> (<c>%</c> and <c>_</c> wildcards); <c>orderBy</c> is
/// <c>entity.key [ASC|DESC]</c>, comma separated. A run without the key never matches.
/// Attributes: <c>status</c>, <c>trainer</c>, <c>run_id</c>, <c>pipeline_id</c>, <c>model</c>,
/// <c>dataset</c>, <c>dataset_version</c>, <c>seed</c>, <c>trial</c>, <c>rung</c>, <c>start_time</c>,
/// <c>end_time</c> (epoch milliseconds, as MLflow), <c>duration_ms</c>, <c>fit_ms</c>, <c>model_version</c>.
/// </summary>
public sealed partial class RunQuery
{
    private readonly List<Func<RunRecord, bool>> _clauses = [];
    private readonly List<(Func<RunRecord, object?> Key, bool Descending)> _order = [];

    private RunQuery()
    {
    }

    public static IReadOnlyList<string> Attributes { get; } =
        ["status", "trainer", "run_id", "pipeline_id", "model", "dataset", "dataset_version", "seed", "trial", "rung", "start_time", "end_time", "duration_ms", "fit_ms", "model_version"];

    public static RunQuery Parse(string? filter, string? orderBy)
    {
        var query = new RunQuery();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            foreach (var clause in Clauses(filter.Trim()))
            {
                query._clauses.Add(Clause(clause.Trim()));
            }
        }

        if (!string.IsNullOrWhiteSpace(orderBy))
        {
            foreach (var part in orderBy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var match = OrderPattern().Match(part);
                if (!match.Success)
                {
                    throw Invalid("orderBy", $"'{part}' is not 'entity.key [ASC|DESC]', e.g. 'metrics.auc DESC'.");
                }

                query._order.Add((Accessor(match.Groups["entity"].Value, Key(match), "orderBy"), match.Groups["direction"].Value.Equals("DESC", StringComparison.OrdinalIgnoreCase)));
            }
        }

        return query;
    }

    /// <summary>The filter split at each <c>and</c> between clauses; one inside a quoted value or key is part of it.</summary>
    private static List<string> Clauses(string filter)
    {
        var clauses = new List<string>();
        var start = 0;
        var quote = '\0';
        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"' or '`')
            {
                quote = c;
            }
            else if (char.IsWhiteSpace(c) && i + 4 < filter.Length && filter.AsSpan(i + 1, 3).Equals("and", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(filter[i + 4]))
            {
                clauses.Add(filter[start..i]);
                start = i + 5;
                i += 4;
            }
        }

        clauses.Add(filter[start..]);
        return clauses;
    }

    public bool Matches(RunRecord run) => _clauses.All(c => c(run));

    /// <summary>Orders by the query's keys (runs without a key last), then newest first, then by id.</summary>
    public IEnumerable<RunRecord> Order(IEnumerable<RunRecord> runs)
    {
        IOrderedEnumerable<RunRecord>? ordered = null;
        foreach (var (key, descending) in _order)
        {
            Func<RunRecord, (bool, object?)> sortKey = r => key(r) is { } v ? (false, v) : (true, null);
            var comparer = new MissingLast(descending);
            ordered = ordered is null ? runs.OrderBy(sortKey, comparer) : ordered.ThenBy(sortKey, comparer);
        }

        return (ordered ?? runs.OrderBy(_ => 0)).ThenByDescending(r => r.StartTime).ThenBy(r => r.RunId, StringComparer.Ordinal);
    }

    private static Func<RunRecord, bool> Clause(string clause)
    {
        var match = ClausePattern().Match(clause);
        if (!match.Success)
        {
            throw Invalid("filter", $"'{clause}' is not a comparison like metrics.auc > 0.9, params.trainer = 'lightgbm' or attributes.status = 'FINISHED'.");
        }

        var entity = match.Groups["entity"].Value;
        var key = Key(match);
        var op = match.Groups["op"].Value.ToUpperInvariant();
        var raw = match.Groups["value"].Value;
        var accessor = Accessor(entity, key, "filter");
        var isString = raw.Length >= 2 && raw[0] is '\'' or '"' && raw[^1] == raw[0];
        if (isString)
        {
            var text = raw[1..^1];
            return op switch
            {
                "=" => r => Text(accessor(r)) is { } v && v == text,
                "!=" => r => Text(accessor(r)) is { } v && v != text,
                "LIKE" => Like(accessor, text, ignoreCase: false),
                "ILIKE" => Like(accessor, text, ignoreCase: true),
                _ => throw Invalid("filter", $"'{op}' does not compare strings in '{clause}': use =, !=, LIKE or ILIKE."),
            };
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw Invalid("filter", $"'{raw}' in '{clause}' is neither a number nor a quoted string.");
        }

        Func<double, bool> compare = op switch
        {
            "=" => v => v == number,
            "!=" => v => v != number,
            ">" => v => v > number,
            ">=" => v => v >= number,
            "<" => v => v < number,
            "<=" => v => v <= number,
            _ => throw Invalid("filter", $"'{op}' does not compare numbers in '{clause}': use =, !=, >, >=, < or <=."),
        };
        return r => Number(accessor(r)) is { } v && compare(v);
    }

    private static Func<RunRecord, bool> Like(Func<RunRecord, object?> accessor, string pattern, bool ignoreCase) =>
        r => Text(accessor(r)) is { } v && Like(v, pattern, ignoreCase);

    /// <summary>
    /// SQL's LIKE (<c>%</c> any run, <c>_</c> one character) by the greedy wildcard walk: on a mismatch
    /// only the last <c>%</c> is retried one character further, so a pattern of many wildcards costs at
    /// most value × pattern steps. A regex here backtracked into its timeout.
    /// </summary>
    public static bool Like(string value, string pattern, bool ignoreCase)
    {
        int v = 0, p = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && (pattern[p] == '_' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    private static string Key(Match match) => match.Groups["key"].Value is { Length: > 0 } plain ? plain : match.Groups["quoted"].Value;

    private static Func<RunRecord, object?> Accessor(string entity, string key, string parameter) => entity.ToLowerInvariant() switch
    {
        "metrics" or "metric" => r => r.Metrics.TryGetValue(key, out var v) ? v : null,
        "params" or "param" => r => r.Params.TryGetValue(key, out var v) ? v : key == "trainer" ? r.Trainer : null,
        "attributes" or "attribute" or "attr" or "run" => key switch
        {
            "status" => r => WireNames.Of(r.Status),
            "trainer" => r => r.Trainer,
            "run_id" => r => r.RunId,
            "pipeline_id" => r => r.PipelineId,
            "model" => r => r.Model,
            "dataset" => r => r.Dataset,
            "dataset_version" => r => (double)r.DatasetVersion,
            "seed" => r => (double)r.Seed,
            "trial" => r => (double)r.Trial,
            "rung" => r => (double)r.Rung,
            "start_time" => r => (double)r.StartTime.ToUnixTimeMilliseconds(),
            "end_time" => r => r.EndTime?.ToUnixTimeMilliseconds() is { } t ? (double)t : null,
            "duration_ms" => r => r.DurationMs,
            "fit_ms" => r => r.FitMs,
            "model_version" => r => r.ModelVersion is { } v ? (double)v : null,
            _ => throw Invalid(parameter, $"'{key}' is not a run attribute: use {string.Join(", ", Attributes)}."),
        },
        _ => throw Invalid(parameter, $"'{entity}' is not an entity: use metrics, params or attributes."),
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static double? Number(object? value) => value switch
    {
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static FlywheelException Invalid(string parameter, string detail) =>
        new(ErrorKind.InvalidInput, ProblemTypes.InvalidQuery, $"{parameter}: {detail}");

    [GeneratedRegex(@"^(?<entity>[A-Za-z]+)\.(?:(?<key>[A-Za-z0-9_\-]+)|`(?<quoted>[^`]+)`|""(?<quoted>[^""]+)"")\s*(?<op>>=|<=|!=|=|>|<|(?i:ilike)|(?i:like))\s*(?<value>'[^']*'|""[^""]*""|[^\s'""]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ClausePattern();

    [GeneratedRegex(@"^(?<entity>[A-Za-z]+)\.(?:(?<key>[A-Za-z0-9_\-]+)|`(?<quoted>[^`]+)`|""(?<quoted>[^""]+)"")(?:\s+(?<direction>(?i:asc|desc)))?$", RegexOptions.CultureInvariant)]
    private static partial Regex OrderPattern();

    /// <summary>Runs without the key sort last whichever the direction; values compare as numbers or ordinal strings.</summary>
    private sealed class MissingLast(bool descending) : IComparer<(bool Missing, object? Value)>
    {
        public int Compare((bool Missing, object? Value) x, (bool Missing, object? Value) y)
        {
            if (x.Missing || y.Missing)
            {
                return x.Missing.CompareTo(y.Missing);
            }

            var order = (x.Value, y.Value) switch
            {
                (double a, double b) => a.CompareTo(b),
                _ => string.CompareOrdinal(Text(x.Value), Text(y.Value)),
            };
            return descending ? -order : order;
        }
    }
}
