using System.Collections.Immutable;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation;

/// <summary>The outcome of one simulated run, as the engine saw it (models judge the trace themselves).</summary>
public sealed class RunResult
{
    internal RunResult(ulong seed, RunEndReason endedBy, TimeSpan virtualTime, long steps, long timersFired,
        ImmutableArray<int> choices, RunTrace trace, int deadLetters, ImmutableArray<string> deadLetterSamples,
        ImmutableArray<string> leaks, ImmutableArray<string> failures)
    {
        Seed = seed;
        EndedBy = endedBy;
        VirtualTime = virtualTime;
        Steps = steps;
        TimersFired = timersFired;
        Choices = choices;
        Trace = trace;
        DeadLetters = deadLetters;
        DeadLetterSamples = deadLetterSamples;
        Leaks = leaks;
        Failures = failures;
    }

    /// <summary>The seed the run was started with.</summary>
    public ulong Seed { get; }

    /// <summary>Why the run stopped.</summary>
    public RunEndReason EndedBy { get; }

    /// <summary>Virtual time when the run stopped (the horizon itself when <see cref="RunEndReason.Horizon"/>).</summary>
    public TimeSpan VirtualTime { get; }

    /// <summary>Mailbox turns taken (each processes pending system messages and at most one user message).</summary>
    public long Steps { get; }

    /// <summary>Timers fired.</summary>
    public long TimersFired { get; }

    /// <summary>
    /// The index chosen at every step where more than one mailbox was ready; a
    /// <see cref="Strategies.ReplayStrategy"/> given these reproduces the run.
    /// </summary>
    public ImmutableArray<int> Choices { get; }

    /// <summary>The events the run's actors recorded.</summary>
    public RunTrace Trace { get; }

    /// <summary>Messages sent inside the run to actors that did not exist (any longer).</summary>
    public int DeadLetters { get; }

    /// <summary>Up to ten dead letters, described as "message type → recipient path".</summary>
    public ImmutableArray<string> DeadLetterSamples { get; }

    /// <summary>Calls that reached the run from outside its driver thread; a run with any is not deterministic.</summary>
    public ImmutableArray<string> Leaks { get; }

    /// <summary>
    /// Failures of the run's root actor, which the engine's host stopped, and exceptions thrown by scheduled
    /// actions ("a scheduled action failed at 00:00:05: …"), which are dropped as Akka's own scheduler drops
    /// them. Each gives the exception's type and message, followed by those of its inner exceptions
    /// (" ---> InvalidOperationException: …").
    /// </summary>
    public ImmutableArray<string> Failures { get; }

    /// <summary>The lowercase hex SHA-256 of the canonical trace.</summary>
    public string TraceSha256 => _sha ??= Trace.ComputeSha256();

    private string? _sha;
}
