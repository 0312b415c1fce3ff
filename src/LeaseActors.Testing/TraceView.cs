using System.Globalization;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Testing;

/// <summary>
/// Queries over one run's trace, by the event kinds and field names of the emulated kernel's trace
/// (<c>syscall.exit</c> with <c>process</c>, <c>label</c>, <c>value</c>, <c>errno</c>; <c>signal.delivered</c>; …).
/// More queries are extension methods in <see cref="TraceQueries"/>.
/// </summary>
/// <remarks>
/// A query that needs something the run does not have (a step that never completed) throws a
/// <see cref="LeaseActorsAssertionException"/> whose message holds the whole trace (<see cref="Dump"/>); a query that
/// answers yes or no (<see cref="Completed"/>, <see cref="Exited"/>) never throws.
/// </remarks>
public sealed class TraceView
{
    /// <summary>A view of a run made by a simulation driver.</summary>
    public TraceView(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
        Trace = result.Trace;
    }

    /// <summary>A view of any sealed trace (a judged report's, a real-time kernel's).</summary>
    public TraceView(RunTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Trace = trace;
    }

    /// <summary>The driver's result of the run (seed, virtual time, choices), or null when the view was made from a trace alone.</summary>
    public RunResult? Result { get; }

    /// <summary>The run's trace.</summary>
    public RunTrace Trace { get; }

    /// <summary>Events of <paramref name="kind"/>, in trace order, with the virtual time at which each happened.</summary>
    public IEnumerable<(TimeSpan Time, TraceEvent Event)> Events(string kind) =>
        Trace.Entries.Where(e => e.Event.Kind == kind && e.Event is TraceEvent).Select(e => (e.Time, (TraceEvent)e.Event));

    /// <summary>
    /// The result of the step labelled <paramref name="label"/> in <paramref name="process"/> (its last completion when
    /// the label ran more than once): its return value, its errno name or null, and how long the call took.
    /// </summary>
    /// <exception cref="LeaseActorsAssertionException">No such step completed.</exception>
    public (long Value, string? Errno, TimeSpan Took) Step(string process, string label)
    {
        var exit = LastExit(process, label);
        var entered = TimeSpan.FromTicks((long)exit.Event["enteredUs"]! * TimeSpan.TicksPerMicrosecond);
        return ((long)exit.Event["value"]!, (string?)exit.Event["errno"], exit.Time - entered);
    }

    /// <summary>True when the step labelled <paramref name="label"/> in <paramref name="process"/> returned.</summary>
    public bool Completed(string process, string label) =>
        Events("syscall.exit").Any(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);

    /// <summary>Signals that reached <paramref name="process"/> and what it did with them (<c>action</c>: handled, default, ignored, lost: …).</summary>
    public List<(string Signal, string Action, long Code, long Fd)> Signals(string process) =>
        [.. Events("signal.delivered").Where(e => (string?)e.Event["process"] == process)
            .Select(e => ((string)e.Event["signal"]!, (string)e.Event["action"]!, Num(e.Event["code"]), Num(e.Event["fd"])))];

    /// <summary>The ids of the findings the monitors recorded (H2, H3, …), in trace order.</summary>
    public string[] Findings() => [.. Events("finding").Select(e => (string)e.Event["id"]!)];

    /// <summary>True when <paramref name="process"/> exited (or was killed).</summary>
    public bool Exited(string process) => Events("process.exited").Any(e => (string?)e.Event["process"] == process);

    /// <summary>The whole trace, one event a line with its virtual time in milliseconds: what a failure message shows.</summary>
    public string Dump() => string.Join("\n", Trace.Entries.Select(e => $"{e.Time.TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture),10} {e.Event}"));

    internal (TimeSpan Time, TraceEvent Event) LastExit(string process, string label)
    {
        var exit = Events("syscall.exit").LastOrDefault(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);
        LeaseActorsAssertionException.That(exit.Event is not null, () => $"{process} has no completed step labelled {label}:\n{Dump()}");
        return exit;
    }

    internal static long Num(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
