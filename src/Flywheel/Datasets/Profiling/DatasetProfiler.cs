using Flywheel.Contracts.Datasets;
using Flywheel.Datasets.Columns;

namespace Flywheel.Datasets.Profiling;

/// <summary>
/// Turns a header and a stream of cells into a <see cref="DatasetProfile"/>, whatever the file
/// format, and checks the dataset's contract as it goes: required columns, per-value rules,
/// then missing rates and row count at the end. Given a budget, it also collects each column's
/// values for <see cref="StoredColumn"/> in the same pass. Rows may be profiled on several threads,
/// each into a <see cref="ProfilePart"/> of its own; the parts are merged when the profile is finished.
/// </summary>
public sealed class DatasetProfiler
{
    private readonly DatasetContract _contract;
    private readonly DataProblems _problems;
    private readonly byte[][] _missingMarkers;
    private readonly int _maxMarkerLength;

    // The bytes markers start with: a cell starting otherwise (a digit, most words) is not missing, without comparing it to each marker.
    private readonly bool[] _markerStarts = new bool[256];
    private readonly bool _emptyIsMissing;
    private readonly long _columnStoreBytes;
    private readonly Func<double>? _readShare;
    private readonly List<ProfilePart> _parts = [];
    private string[] _names = [];
    private ProfilePart? _main;
    private ColumnCollector[]? _collectors;
    private bool _merged;

    /// <param name="columnStoreBytes">Memory for collecting stored columns (<see cref="DatasetOptions.ColumnStoreBytes"/>); 0 collects none.</param>
    /// <param name="readShare">The share of the file read so far, when its size is known (see <see cref="ColumnCollector.For"/>).</param>
    public DatasetProfiler(DatasetContract contract, DataProblems problems, long columnStoreBytes = 0, Func<double>? readShare = null)
    {
        _columnStoreBytes = columnStoreBytes;
        _readShare = readShare;
        ArgumentNullException.ThrowIfNull(contract);
        _contract = contract;
        _problems = problems;
        _missingMarkers = [.. (contract.MissingMarkers ?? DatasetContract.DefaultMissingMarkers).Select(m => System.Text.Encoding.UTF8.GetBytes(m))];
        _maxMarkerLength = _missingMarkers.Length == 0 ? -1 : _missingMarkers.Max(m => m.Length);
        foreach (var marker in _missingMarkers)
        {
            if (marker.Length == 0)
            {
                _emptyIsMissing = true;
            }
            else
            {
                _markerStarts[marker[0]] = true;
            }
        }
    }

    /// <summary>Longest column name accepted: names travel in URLs, reports and model signatures.</summary>
    public const int MaxColumnNameLength = 1024;

    public int ColumnCount => _names.Length;

    public long Rows { get; private set; }

    public bool HasHeader { get; private set; }

    /// <summary>Validates the header; returns false when it is unusable (then nothing else can be read).</summary>
    public bool SetHeader(IReadOnlyList<string> names, long line)
    {
        ArgumentNullException.ThrowIfNull(names);
        HasHeader = true;
        var usable = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                _problems.Add("blank-column-name", "Every column needs a name in the header.", null, line, value: $"column {i + 1}", unreadable: true);
                usable = false;
            }
            else if (names[i].Length > MaxColumnNameLength)
            {
                _problems.Add("column-name-too-long", $"Column names may have at most {MaxColumnNameLength:N0} characters.", null, line,
                    value: $"column {i + 1} ({names[i].Length:N0} characters)", unreadable: true);
                usable = false;
            }
            else if (!seen.Add(names[i]))
            {
                _problems.Add("duplicate-column-name", "Column names in the header must be unique.", names[i], line, value: names[i], unreadable: true);
                usable = false;
            }
        }

        foreach (var (required, _) in _contract.Columns)
        {
            if (!seen.Contains(required))
            {
                _problems.Add("missing-column", $"The contract requires column '{required}'.", required, line);
            }
        }

        if (!_contract.AllowExtraColumns)
        {
            foreach (var name in names.Where(n => !_contract.Columns.ContainsKey(n)))
            {
                _problems.Add("unexpected-column", $"The contract does not allow column '{name}'.", name, line);
            }
        }

        _names = [.. names];
        _main = NewPart();
        _collectors = usable && _columnStoreBytes > 0 ? ColumnCollector.For(names.Count, _columnStoreBytes, _readShare) : null;
        return usable;
    }

    public void BeginRow() => Rows++;

    /// <summary>Whether the cells must also go to <see cref="Collect"/> (stored columns are being collected).</summary>
    public bool Collects => _collectors is not null;

    /// <summary>A profile of its own for some of the rows, merged into this one by <see cref="Finish"/>; call after the header.</summary>
    public ProfilePart NewPart()
    {
        var columns = _names.Select(name => new ColumnProfiler(name, _contract.Columns.GetValueOrDefault(name))).ToArray();
        var part = new ProfilePart(this, columns, _problems);
        lock (_parts)
        {
            _parts.Add(part);
        }

        return part;
    }

    public void Observe(int column, ReadOnlySpan<byte> value, long line) => Observe(column, value, line, Rows);

    /// <summary>Observes a cell of data row <paramref name="row"/> on the calling thread (profile and stored column).</summary>
    public void Observe(int column, ReadOnlySpan<byte> value, long line, long row)
    {
        _main!.Observe(column, value, line, row);
        Collect(column, value);
    }

    public void ObserveMissing(int column, long line)
    {
        _main!.ObserveMissing(column, line, Rows);
        _collectors?[column].Add([], missing: true);
    }

    /// <summary>
    /// Adds a cell to its stored column. Stored columns decide what to keep from the first values
    /// they see, so cells must come in file order, from one thread at a time.
    /// </summary>
    public void Collect(int column, ReadOnlySpan<byte> value) => _collectors?[column].Add(value, IsMissing(value));

    /// <summary>Each column's stored form, in header order (none when no budget was given or the header was unusable).</summary>
    internal IReadOnlyList<StoredColumn> StoredColumns()
    {
        if (_collectors is not { } collectors)
        {
            return [];
        }

        var stored = new StoredColumn[collectors.Length];
        Parallel.For(0, collectors.Length, i => stored[i] = collectors[i].Finish());
        _collectors = null;
        return stored;
    }

    public DatasetProfile Finish(string format)
    {
        if (!HasHeader && !_problems.Unreadable)
        {
            _problems.Add("empty", "The file is empty: a header row is required.", unreadable: true);
        }

        // A header alone is a file that lost its data somewhere; a contract with minRows 0 says that is expected.
        if (HasHeader && Rows == 0 && _contract.MinRows is not 0 && !_problems.Unreadable)
        {
            _problems.Add("no-rows", "The file has a header but no data rows (set the contract's minRows to 0 to accept such files).", value: "0");
        }

        if (_contract.MinRows is { } minRows && Rows < minRows)
        {
            _problems.Add("too-few-rows", $"The contract requires at least {minRows} rows; the file has {Rows}.", value: Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var columns = MergeParts();
        var profiles = new Dictionary<string, ColumnProfile>(StringComparer.Ordinal);
        var schema = new List<SchemaColumn>(columns.Length);
        foreach (var column in columns)
        {
            var profile = column.Build();
            profiles.TryAdd(column.Name, profile);
            schema.Add(new SchemaColumn(column.Name, profile.Type, profile.Nullable, profile.Categorical));
            CheckMissingRate(column.Name, profile);
        }

        return new DatasetProfile(format, Rows, schema, profiles);
    }

    // Parts merge in the order they were made: the same parts give the same profile.
    private ColumnProfiler[] MergeParts()
    {
        if (_main is not { } main)
        {
            return [];
        }

        if (!_merged)
        {
            _merged = true;
            lock (_parts)
            {
                foreach (var part in _parts.Where(p => p != main))
                {
                    for (var c = 0; c < main.Columns.Length; c++)
                    {
                        main.Columns[c].Merge(part.Columns[c]);
                    }
                }
            }
        }

        return main.Columns;
    }

    private void CheckMissingRate(string name, ColumnProfile profile)
    {
        var limit = _contract.Columns.GetValueOrDefault(name)?.MaxMissingRate ?? _contract.MaxMissingRate;
        var total = profile.Count + profile.Missing;
        if (limit is { } max && total > 0 && (double)profile.Missing / total > max)
        {
            _problems.Add("too-many-missing", $"Column '{name}' may have at most {max:P1} missing values; it has {(double)profile.Missing / total:P1}.", name,
                value: $"{profile.Missing} of {total}");
        }
    }

    internal bool IsMissing(ReadOnlySpan<byte> value)
    {
        if (value.Length > _maxMarkerLength)
        {
            return false;
        }

        if (value.IsEmpty)
        {
            return _emptyIsMissing;
        }

        if (!_markerStarts[value[0]])
        {
            return false;
        }

        foreach (var marker in _missingMarkers)
        {
            if (value.SequenceEqual(marker))
            {
                return true;
            }
        }

        return false;
    }
}
