using System.Text.Json;

namespace LeaseActors.Simulation.Tracing;

/// <summary>
/// A structured event that an actor records in its run's trace. Implementations are immutable records whose
/// fields are written in a fixed order, so the canonical trace (and its SHA-256) depends only on what happened.
/// </summary>
/// <remarks>
/// Write names, never <c>IActorRef.ToString()</c> or actor UIDs: Akka draws UIDs from a thread-local random
/// generator, so they differ between otherwise identical runs.
/// </remarks>
public interface ITraceEvent
{
    /// <summary>The event's kind, written as the <c>kind</c> field (e.g. <c>syscall</c>, <c>signal.delivered</c>).</summary>
    string Kind { get; }

    /// <summary>Writes the event's own fields, in a fixed order, into an object that is already open.</summary>
    void WriteFields(Utf8JsonWriter writer);
}
