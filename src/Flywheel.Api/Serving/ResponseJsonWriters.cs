using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Flywheel.Api.Serving;

/// <summary>
/// One <see cref="Utf8JsonWriter"/> per thread and encoder for the answers written straight into the
/// response pipe: a writer per request was a fifth of a single-record answer's garbage. An answer is
/// written synchronously from <see cref="Rent"/> to <see cref="Return"/>, so a thread's writer is never
/// in two answers at once; <see cref="Rent"/> resets whatever an answer that threw left behind.
/// </summary>
internal static class ResponseJsonWriters
{
    // A returned writer points here, so it holds no response's pipe; nothing is ever written to it.
    private static readonly ArrayBufferWriter<byte> s_detached = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? t_default;

    [ThreadStatic]
    private static Utf8JsonWriter? t_relaxed;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Text, Utf8JsonWriter Writer)? t_scratch;

    private const int MaxScratchBytes = 64 << 10;

    /// <summary>This thread's writer over <paramref name="output"/>: the default encoder, or the relaxed one (<see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>).</summary>
    public static Utf8JsonWriter Rent(IBufferWriter<byte> output, JavaScriptEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (encoder is not null && encoder != JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
        {
            // Any other encoder is not kept per thread.
            return new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = encoder });
        }

        ref var cached = ref encoder is null ? ref t_default : ref t_relaxed;
        if (cached is null)
        {
            cached = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = encoder });
        }
        else
        {
            cached.Reset(output);
        }

        return cached;
    }

    /// <summary>
    /// This thread's second writer, over a buffer of its own, for a JSON text an answer writes as a string
    /// (an Open Inference Protocol BYTES item), with the relaxed encoder or <paramref name="encoder"/>. The
    /// caller resets both before each text.
    /// </summary>
    public static (ArrayBufferWriter<byte> Text, Utf8JsonWriter Writer) Scratch(JavaScriptEncoder? encoder)
    {
        if (encoder != JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
        {
            var text = new ArrayBufferWriter<byte>();
            return (text, new Utf8JsonWriter(text, new JsonWriterOptions { Encoder = encoder }));
        }

        // A buffer a huge text grew is not kept for the thread's life.
        if (t_scratch is null || t_scratch.Value.Text.Capacity > MaxScratchBytes)
        {
            var text = new ArrayBufferWriter<byte>();
            t_scratch = (text, new Utf8JsonWriter(text, new JsonWriterOptions { Encoder = encoder }));
        }

        return t_scratch.Value;
    }

    /// <summary>Flushes what <paramref name="writer"/> wrote into its output and detaches it from it.</summary>
    public static void Return(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Flush();
        writer.Reset(s_detached);
    }
}
