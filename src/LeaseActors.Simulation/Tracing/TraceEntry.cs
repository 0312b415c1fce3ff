namespace LeaseActors.Simulation.Tracing;

/// <summary>One recorded event with its position in the trace and the virtual time at which it was recorded.</summary>
/// <param name="Index">0-based position in the run's trace.</param>
/// <param name="Time">Virtual time since the run's epoch.</param>
/// <param name="Event">What happened.</param>
public readonly record struct TraceEntry(int Index, TimeSpan Time, ITraceEvent Event);
