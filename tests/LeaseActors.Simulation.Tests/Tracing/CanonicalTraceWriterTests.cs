using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests.Tracing;

/// <summary>
/// The canonical trace is written directly for what trace events carry; it must be byte for byte what
/// <see cref="Utf8JsonWriter"/> writes, because every recorded trace hash depends on it.
/// </summary>
public sealed class CanonicalTraceWriterTests
{
    /// <summary>Characters that exercise every path: plain ASCII, what the default encoder escapes, control characters, non-ASCII, pairs.</summary>
    private static readonly string[] Pieces =
        ["a", "Z", "0", "_", "-", ".", " ", ":", "/", "=", "\"", "\\", "<", ">", "&", "'", "+", "`", "\n", "\t", "\u0001", "\u007f", "é", "中", "\U0001F600", "~", "%", "@"];

    private static readonly Gen<string> Text = Gen.Int[0, Pieces.Length - 1].Array[0, 6].Select(ix => string.Concat(ix.Select(i => Pieces[i])));

    private static readonly Gen<string> Name = Gen.OneOf(Pick("process", "fd", "kind", "label", "x"), Text.Where(s => s.Length > 0));

    private static readonly Gen<object?> Scalar = Gen.OneOf<object?>(
        Pick<object?>(null, null),
        Text.Select(s => (object?)s),
        Gen.Bool.Select(b => (object?)b),
        Gen.Int.Select(i => (object?)i),
        Gen.Long.Select(l => (object?)l),
        Gen.ULong.Select(u => (object?)u),
        Gen.Double.Where(double.IsFinite).Select(d => (object?)d),
        Pick<object?>(0.1, -0.0, 1e300, 5e-324, 123456.789, 1.0 / 3),
        Gen.Long[-1_000_000_000_000, 1_000_000_000_000].Select(t => (object?)TimeSpan.FromTicks(t)),
        Pick<object?>(DayOfWeek.Monday, FileAccess.ReadWrite, (FileAccess)0),
        Pick<object?>(12.5m, new Canonical("[1,2]")));

    private static readonly Gen<object?> Value = Gen.OneOf(
        Scalar,
        Scalar.Array[0, 4].Select(a => (object?)a),
        Gen.Int.Array[0, 4].Select(a => (object?)a),
        Scalar.Array[0, 3].Array[0, 2].Select(a => (object?)a.Select(x => (object?)x.ToList()).ToList()));

    private static readonly Gen<ITraceEvent> Event = Gen.OneOf(
        Gen.Select(Name, Gen.Select(Name, Value).Array[0, 5], (kind, fields) => (ITraceEvent)new TraceEvent(kind, [.. fields.Select(f => (f.Item1, f.Item2))])),
        Gen.Select(Name, Text, (kind, text) => (ITraceEvent)new Custom(kind, text)));

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    [Fact]
    public void Generated_traces_are_written_byte_for_byte_as_the_json_writer_writes_them()
    {
        Gen.Select(Event.Array[0, 8], Gen.Long[0, 10_000_000_000].Array[8]).Sample((events, times) =>
        {
            var at = 0;
            var trace = new RunTrace(() => TimeSpan.FromTicks(times[at]));
            foreach (var e in events)
            {
                trace.Record(e);
                at++;
            }
            var expected = Reference(trace);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(trace.ToCanonicalBytes()));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(expected)), trace.ComputeSha256());
        }, iter: 3000);
    }

    [Fact]
    public void A_non_finite_double_is_refused_as_the_json_writer_refuses_it()
    {
        var trace = new RunTrace(() => TimeSpan.Zero);
        trace.Record(new TraceEvent("x", ("d", double.NaN)));

        Assert.ThrowsAny<ArgumentException>(() => Reference(trace));
        Assert.ThrowsAny<ArgumentException>(() => trace.ComputeSha256());
    }

    /// <summary>The canonical form as it was first written: one <see cref="Utf8JsonWriter"/> object per entry.</summary>
    private static byte[] Reference(RunTrace trace)
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = true });
        foreach (var entry in trace.Entries)
        {
            writer.WriteStartObject();
            writer.WriteNumber("i", entry.Index);
            writer.WriteNumber("us", entry.Time.Ticks / TimeSpan.TicksPerMicrosecond);
            writer.WriteString("kind", entry.Event.Kind);
            entry.Event.WriteFields(writer);
            writer.WriteEndObject();
            writer.Flush();
            output.Write("\n"u8);
            writer.Reset(output);
        }
        return output.WrittenSpan.ToArray();
    }

    private sealed class Canonical(string json) : ICanonicalValue
    {
        public void WriteCanonical(Utf8JsonWriter writer) => writer.WriteRawValue(json, skipInputValidation: true);
    }

    /// <summary>An event of a type of its own, as a model may record.</summary>
    private sealed record Custom(string Kind, string Text) : ITraceEvent
    {
        public void WriteFields(Utf8JsonWriter writer) => writer.WriteString("text", Text);
    }
}
