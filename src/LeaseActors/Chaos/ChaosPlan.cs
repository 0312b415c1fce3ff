using System.Collections.Immutable;

namespace LeaseActors.Chaos;

/// <summary>
/// Seeded faults to inject into a run (DESIGN.md §5): delays drawn from distributions at five points, crashes of
/// processes, and dropped signals. Every sample comes from the run's seed, so a run with a plan is as reproducible
/// as one without. Read from a topology's <c>chaos</c> block or a file under <c>configs/chaos/</c> by
/// <see cref="ChaosPlanParser"/>; documented in docs/chaos.md.
/// </summary>
public sealed record ChaosPlan
{
    /// <summary>No faults.</summary>
    public static ChaosPlan None { get; } = new();

    /// <summary>Delays, each at one point, optionally only for some processes, signals or steps.</summary>
    public ImmutableArray<DelayRule> Delays { get; init; } = [];

    /// <summary>Process crashes.</summary>
    public ImmutableArray<CrashRule> Crashes { get; init; } = [];

    /// <summary>Signals dropped with a probability.</summary>
    public ImmutableArray<DropRule> Drops { get; init; } = [];

    /// <summary>True when the plan injects nothing.</summary>
    public bool IsEmpty => Delays.IsEmpty && Crashes.IsEmpty && Drops.IsEmpty;
}

/// <summary>Where a delay is injected.</summary>
public enum ChaosPoint
{
    /// <summary>Between a signal's generation and its delivery to the process.</summary>
    SignalDelivery,
    /// <summary>Added to a signal handler's handling time.</summary>
    Handler,
    /// <summary>Between a <c>sendmsg</c> and its message (with its fds) reaching the peer's queue.</summary>
    Socket,
    /// <summary>Before a syscall takes effect (the call has entered; its effect and answer come later).</summary>
    Syscall,
    /// <summary>Before an <c>ibv_dereg_mr</c> or a context close releases a region's pins (the device draining in-flight DMA).</summary>
    Dma,
}

/// <summary>A delay at <paramref name="On"/> drawn from <paramref name="Distribution"/>, applied with <paramref name="Probability"/>.</summary>
/// <param name="On">The point.</param>
/// <param name="Distribution">How long.</param>
/// <param name="Process">Only for this process (null: every process).</param>
/// <param name="Signal">Only for this signal (signal delivery and handler points; null: every signal).</param>
/// <param name="Step">Only for steps with this label or this syscall name (syscall point; null: every step).</param>
/// <param name="Probability">Chance that a matching occasion gets a delay (default 1).</param>
public sealed record DelayRule(ChaosPoint On, Distribution Distribution, string? Process = null, int? Signal = null, string? Step = null, double Probability = 1);

/// <summary>
/// A process crash (it dies as if by SIGKILL): before the step labelled <paramref name="AtLabel"/>, before a step
/// drawn at random from its program (<paramref name="AtRandomStep"/>) — in both cases with <paramref name="Probability"/>
/// when it is set, else always — or, with neither, before each step with <paramref name="Probability"/>.
/// </summary>
public sealed record CrashRule(string? Process, string? AtLabel = null, bool AtRandomStep = false, double Probability = 0);

/// <summary>A signal (or every signal) to a process (or every process) dropped with <paramref name="Probability"/>.</summary>
public sealed record DropRule(double Probability, string? Process = null, int? Signal = null);
