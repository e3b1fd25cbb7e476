using System.Text;
using Flywheel.Serving.Records;

namespace Flywheel.Tests.Serving;

/// <summary>The strings kept by their UTF-8 bytes (<see cref="Utf8Strings"/>): always the bytes' own text, made once for a repeated value.</summary>
public sealed class Utf8StringsTests
{
    [Fact]
    public void Every_value_reads_as_its_own_text_even_when_values_outnumber_the_table()
    {
        // Far more distinct values than slots, twice over: every slot is taken by other values in between.
        var values = Enumerable.Range(0, 5000).Select(i => i % 7 == 0 ? $"ä{i}é" : $"v{i}").Append(string.Empty).Append(new string('x', 200)).ToArray();
        foreach (var value in values.Concat(values.Reverse()))
        {
            Assert.Equal(value, Utf8Strings.Get(Encoding.UTF8.GetBytes(value)));
        }
    }

    [Fact]
    public void A_repeated_short_value_is_made_once()
    {
        // Three tries: a test reading other values at the same moment may take the slot in between once.
        Assert.Contains(true, Enumerable.Range(0, 3).Select(_ => ReferenceEquals(Utf8Strings.Get("female"u8), Utf8Strings.Get("female"u8))));
        Assert.Equal("female", Utf8Strings.Get("female"u8));
    }
}
