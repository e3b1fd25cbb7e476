using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Flywheel.Serving.Outputs;

/// <summary>
/// A ZipMap output (one class-to-probability map per row, every row with the same classes) held as
/// one key array and one row-major value array: rows read as dictionaries without a dictionary per
/// row (which cost more than scoring on large batches). The maps are immutable views.
/// </summary>
public sealed class ClassShareRows(string[] classes, double[] shares) : IReadOnlyList<IReadOnlyDictionary<string, double>>
{
    public IReadOnlyList<string> Classes => classes;

    /// <summary>Row-major: row r's share of class c is at r * classes + c.</summary>
    public ReadOnlySpan<double> Shares => shares;

    public int Count => classes.Length == 0 ? 0 : shares.Length / classes.Length;

    public IReadOnlyDictionary<string, double> this[int index] =>
        (uint)index < (uint)Count ? new Row(classes, new ReadOnlyMemory<double>(shares, index * classes.Length, classes.Length)) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Writes row <paramref name="row"/>'s map as a JSON object (shares that are not finite as named literals), without a view per row.</summary>
    public void WriteRow(Utf8JsonWriter writer, int row)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var rowShares = Shares.Slice(row * classes.Length, classes.Length);
        writer.WriteStartObject();
        for (var c = 0; c < classes.Length; c++)
        {
            writer.WritePropertyName(classes[c]);
            PredictionsJsonConverter.WriteNumber(writer, rowShares[c]);
        }

        writer.WriteEndObject();
    }

    public IEnumerator<IReadOnlyDictionary<string, double>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One row's map: keys in class order.</summary>
    public sealed class Row(string[] classes, ReadOnlyMemory<double> shares) : IReadOnlyDictionary<string, double>
    {
        public ReadOnlySpan<double> Shares => shares.Span;

        /// <summary>The classes in the order of <see cref="Shares"/>; the same array for every row of the output.</summary>
        public IReadOnlyList<string> Classes => classes;

        public int Count => classes.Length;

        public IEnumerable<string> Keys => classes;

        public IEnumerable<double> Values => shares.ToArray();

        public double this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => Array.IndexOf(classes, key) >= 0;

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
        {
            var at = Array.IndexOf(classes, key);
            value = at >= 0 ? shares.Span[at] : 0;
            return at >= 0;
        }

        public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
        {
            for (var i = 0; i < classes.Length; i++)
            {
                yield return new KeyValuePair<string, double>(classes[i], shares.Span[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
