using Flywheel.Serving;
using Flywheel.Serving.Outputs;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Tests.Serving;

public sealed class OutputValueTests
{
    [Fact]
    public void Map_with_string_values_is_not_servable_and_names_the_output()
    {
        var keys = OrtValue.CreateTensorValueFromMemory(new long[] { 0, 1 }, [2]);
        var values = OrtValue.CreateFromStringTensor(new DenseTensor<string>(new[] { "a", "b" }, [2]));
        using var map = OrtValue.CreateMap(ref keys, ref values);

        var error = Assert.Throws<OutputNotServableException>(() => OutputValue.Read("names", map));

        Assert.Contains("Output 'names'", error.Message, StringComparison.Ordinal);
        Assert.Contains("String values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequence_of_tensors_keeps_each_item_with_its_shape()
    {
        using var first = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2 }, [1, 2]);
        using var second = OrtValue.CreateTensorValueFromMemory(new float[] { 3, 4, 5 }, [3]);
        using var sequence = OrtValue.CreateSequence([first, second]);

        var output = OutputValue.Read("parts", sequence);

        Assert.False(output.IsTensor);
        Assert.Equal(2, output.Rows);
        Assert.Equal([1L, 2L], output.Items![0].Shape);
        Assert.Equal(new float[] { 3, 4, 5 }, output.Items[1].Data);
    }
}
