using System.Collections.Immutable;

namespace LeaseActors.Conformance.Observation;

/// <summary>
/// What one executor saw in one run, before normalization: processes with their real (or emulated) pids, every
/// step's entry and return, the signals each process received, and how each process ended. Times are microseconds
/// since the run started; <c>Seq</c> numbers order the records as the executor observed them.
/// </summary>
/// <remarks>
/// Both executors produce this shape (<see cref="Emulated.EmulatorExecutor"/> from the run's trace,
/// <see cref="Real.RealKernelExecutor"/> from the worker's events), so one <see cref="Normalizer"/> serves both.
/// </remarks>
public sealed record RawTrace
{
    /// <summary><c>emulator</c> or <c>kernel</c>.</summary>
    public required string Executor { get; init; }

    /// <summary>The processes, in creation order.</summary>
    public ImmutableArray<RawProcess> Processes { get; init; } = [];

    /// <summary>Every call step that was entered.</summary>
    public ImmutableArray<RawStep> Steps { get; init; } = [];

    /// <summary>Signals received: handlers that ran, and deaths by a signal's default action.</summary>
    public ImmutableArray<RawSignal> Signals { get; init; } = [];

    /// <summary>Process exits; processes missing here were still running at the end.</summary>
    public ImmutableArray<RawExit> Exits { get; init; } = [];

    /// <summary>When the run ended (µs).</summary>
    public long EndUs { get; init; }

    /// <summary>The lease-break-time the run used.</summary>
    public TimeSpan LeaseBreakTime { get; init; }

    /// <summary>For the real kernel: the <c>uname -r</c> it ran on; null for the emulator.</summary>
    public string? KernelRelease { get; init; }
}

/// <summary>A process: its name, pid, parent (for forked ones) and when it was created (<paramref name="Seq"/>).</summary>
public sealed record RawProcess(string Name, int Pid, string? Parent, long Seq);

/// <summary>
/// A call step: who ran it, its plan label, when it was entered and returned (null: never returned), and what it
/// returned (value and extra values, or an errno name).
/// </summary>
public sealed record RawStep(string Process, string Label, long Seq, long EnterUs, long? ExitUs, long Value, string? Errno, ImmutableArray<long> Values)
{
    /// <summary>The order of the return, for name bindings (<see cref="Seq"/> of the entry when it never returned).</summary>
    public long ExitSeq { get; init; }
}

/// <summary>A signal received by <paramref name="Process"/>: handled (a handler ran) or, with <paramref name="Killed"/>, fatal.</summary>
public sealed record RawSignal(string Process, long Seq, long AtUs, int Signo, int Code, int Fd, bool Killed)
{
    /// <summary><c>si_band</c>.</summary>
    public long Band { get; init; }
}

/// <summary>
/// How a process ended: exit status or fatal signal; <paramref name="AtEnd"/> when the executor ended it because
/// the run was over (it was still running).
/// </summary>
public sealed record RawExit(string Process, long AtUs, int? Status, int? Signal, bool AtEnd);
