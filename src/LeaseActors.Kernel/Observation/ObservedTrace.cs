using System.Collections.Immutable;

namespace LeaseActors.Conformance.Observation;

/// <summary>
/// The normalized observable trace of one run: what a process could see, with wall-clock noise absorbed into wait
/// classes. Two runs conform when their observations agree key by key (<see cref="Comparison"/>).
/// </summary>
public sealed record ObservedTrace
{
    /// <summary><c>emulator</c> or <c>kernel</c>.</summary>
    public required string Executor { get; init; }

    /// <summary>Every observation, in the order of the table (process, then step).</summary>
    public ImmutableArray<Observation> Observations { get; init; } = [];

    /// <summary>Pids by process name (real pids for the kernel).</summary>
    public ImmutableDictionary<string, int> Pids { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>The raw trace it was made from.</summary>
    public required RawTrace Raw { get; init; }
}

/// <summary>
/// One thing observed: <paramref name="Key"/> (unique in a trace: process, step and occurrence, or
/// <c>signals</c>/<c>exit</c>), a row title for the table, the normalized value, and for waits the measured
/// duration in milliseconds.
/// </summary>
/// <param name="Key">Stable key matched between the two traces.</param>
/// <param name="Process">The process it belongs to.</param>
/// <param name="Order">Sort order within the table.</param>
/// <param name="Title">The row's title (<c>A.lease F_SETLEASE f F_WRLCK</c>).</param>
/// <param name="Value">The normalized value (<c>0</c>, <c>EAGAIN</c>, <c>F_RDLCK</c>, <c>B</c>, a wait class, a signal list).</param>
/// <param name="Ms">For waits: the measured duration; null otherwise.</param>
public sealed record Observation(string Key, string Process, long Order, string Title, string Value, double? Ms = null);

/// <summary>The classes a blocking step's wait falls in.</summary>
public static class WaitClass
{
    /// <summary>Returned at once.</summary>
    public const string Immediate = "immediate";

    /// <summary>Returned about one lease-break-time after it started.</summary>
    public const string LeaseBreakTime = "~lease-break-time";

    /// <summary>Prefix of "returned about when a named event happened" (<c>until B.release</c>).</summary>
    public const string UntilPrefix = "until ";

    /// <summary>Prefix of any other wait; the value is in <see cref="Observation.Ms"/>.</summary>
    public const string Other = "other";

    /// <summary>
    /// The tolerance between two clocks' idea of "about": 150 ms, or 15% of the lease-break-time when that is longer.
    /// </summary>
    public static double ToleranceMs(TimeSpan leaseBreakTime) => Math.Max(150, leaseBreakTime.TotalMilliseconds * 0.15);
}
