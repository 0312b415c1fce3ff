using LeaseActors.Simulation.Tracing;

namespace LeaseActors.RealTime;

/// <summary>
/// A trace event of a real-time kernel, published on its actor system's event stream
/// (<c>system.EventStream.Subscribe(actor, typeof(KernelEvent))</c>). Events of one kernel are published in trace order.
/// </summary>
/// <param name="Kernel">The kernel's name (<see cref="RealTimeOptions.Name"/>).</param>
/// <param name="Entry">The event, its index in the kernel's trace, and the kernel time at which it happened.</param>
public sealed record KernelEvent(string Kernel, TraceEntry Entry);
