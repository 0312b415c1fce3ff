using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace LeaseActors.Simulation.Tracing;

/// <summary>
/// A general-purpose trace event: a kind and an ordered list of named values (strings, integers, booleans,
/// doubles, nulls, or sequences of those).
/// </summary>
/// <remarks>
/// Typed event records that implement <see cref="ITraceEvent"/> directly are preferred for a model's own
/// events; this class serves tests, samples and one-off events.
/// </remarks>
public sealed class TraceEvent : ITraceEvent
{
    /// <summary>Creates an event of <paramref name="kind"/> with <paramref name="fields"/> written in the given order.</summary>
    public TraceEvent(string kind, params (string Name, object? Value)[] fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        Kind = kind;
        Fields = [.. fields];
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <summary>The event's fields, in the order they are written.</summary>
    public ImmutableArray<(string Name, object? Value)> Fields { get; }

    /// <summary>The value of field <paramref name="name"/>, or null when absent.</summary>
    public object? this[string name]
    {
        get
        {
            foreach (var (n, v) in Fields)
                if (n == name) return v;
            return null;
        }
    }

    /// <inheritdoc />
    public void WriteFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (name, value) in Fields)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
    }

    /// <summary>Writes one value the way trace events write them; used by typed events too.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case double d: writer.WriteNumberValue(d); break;
            case TimeSpan t: writer.WriteNumberValue(t.Ticks / TimeSpan.TicksPerMicrosecond); break;
            case Enum e: writer.WriteStringValue(e.ToString()); break;
            case ICanonicalValue canonical: canonical.WriteCanonical(writer); break;
            case System.Collections.IEnumerable seq:
                writer.WriteStartArray();
                foreach (var item in seq) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            case IFormattable f: writer.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        Fields.IsEmpty ? Kind : Kind + " " + string.Join(" ", Fields.Select(f => $"{f.Name}={f.Value}"));
}
