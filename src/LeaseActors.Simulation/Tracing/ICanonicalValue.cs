using System.Text.Json;

namespace LeaseActors.Simulation.Tracing;

/// <summary>
/// A trace field value that writes its own canonical JSON (for a compact form, such as runs of consecutive numbers
/// instead of every number). It must write the same bytes for equal values, on every machine.
/// </summary>
public interface ICanonicalValue
{
    /// <summary>Writes the value as one JSON value.</summary>
    void WriteCanonical(Utf8JsonWriter writer);
}
