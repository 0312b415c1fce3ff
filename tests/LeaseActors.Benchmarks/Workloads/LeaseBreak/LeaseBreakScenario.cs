using Akka.Actor;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Workloads.LeaseBreak;

/// <summary>
/// A four-actor lease break, modelled on Linux <c>fs/locks.c</c> (<c>__break_lease</c>, <c>lease_break_time</c>):
/// a holder takes a write lease, a breaker's conflicting open blocks and starts a break, a notifier delivers
/// SIGIO to the holder, and the holder writes back and unlocks, or, in about one run in four, is too slow, so
/// the lease manager's 45 s break deadline fires and breaks the lease by force. Afterwards the holder takes a
/// read lease again, retrying while the breaker still has the file open for writing (<c>EAGAIN</c>).
/// </summary>
/// <remarks>
/// <para>The scenario exists to measure the engine, so its size is what matters: 4 actors, about 33–37 messages
/// (timer messages included), 8–9 <see cref="IWithTimers"/> timers (the 45 s deadline and the notifier's
/// 20 s re-signal timer are cancelled in the fast path and fire in the slow one), about 18 trace events.
/// The lease manager is the run's root and creates the other three.</para>
/// <para>Every actor records its steps in the run's trace; the manager records a <c>run.summary</c> with the
/// number of messages all four received once the other three have reported <see cref="Finished"/>.</para>
/// </remarks>
internal static class LeaseBreakScenario
{
    /// <summary>Linux's default <c>/proc/sys/fs/lease-break-time</c>.</summary>
    public static readonly TimeSpan LeaseBreakTime = TimeSpan.FromSeconds(45);

    /// <summary>The interval at which the notifier re-signals a holder that has not released its lease.</summary>
    public static readonly TimeSpan ResignalInterval = TimeSpan.FromSeconds(20);

    /// <summary>The run's root: the lease manager, which creates the holder, the breaker and the notifier.</summary>
    public static Props Props(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // Locals, not run.Trace inside the lambda: Akka reads a captured variable by reflection, but compiles any
        // deeper expression (run.Trace is a member of a captured variable) into a DynamicMethod on every call,
        // which cost about 1 ms per run here and kept the finalizer thread busy.
        var trace = run.Trace;
        var random = run.Random;
        return Akka.Actor.Props.Create(() => new LeaseManager(trace, random));
    }

    /// <summary>The kind of lease requested with <see cref="SetLease"/> (<c>F_RDLCK</c>, <c>F_WRLCK</c>, <c>F_UNLCK</c>).</summary>
    public enum LeaseKind { Read, Write, Unlock }

    /// <summary>Tells a child of the manager to begin.</summary>
    public sealed record Start
    {
        public static Start Instance { get; } = new();
    }

    /// <summary><c>fcntl(F_SETLEASE)</c> from the holder.</summary>
    public sealed record SetLease(LeaseKind Kind);

    /// <summary>The lease was set.</summary>
    public sealed record LeaseGranted(LeaseKind Kind);

    /// <summary>The lease was refused with <c>EAGAIN</c> (the file is open for writing).</summary>
    public sealed record LeaseRefused
    {
        public static LeaseRefused Instance { get; } = new();
    }

    /// <summary>The holder unlocked; <paramref name="HadLease"/> is false when the lease had already been broken.</summary>
    public sealed record LeaseReleased(bool HadLease);

    /// <summary>The break deadline passed and the manager removed the holder's lease.</summary>
    public sealed record LeaseBroken
    {
        public static LeaseBroken Instance { get; } = new();
    }

    /// <summary>A conflicting <c>open(O_WRONLY)</c> from the breaker.</summary>
    public sealed record OpenFile
    {
        public static OpenFile Instance { get; } = new();
    }

    /// <summary>The open is blocked in <c>__break_lease</c> until the lease is gone.</summary>
    public sealed record OpenBlocked
    {
        public static OpenBlocked Instance { get; } = new();
    }

    /// <summary>The open completed.</summary>
    public sealed record OpenGranted
    {
        public static OpenGranted Instance { get; } = new();
    }

    /// <summary>The breaker closes its descriptor.</summary>
    public sealed record CloseFile
    {
        public static CloseFile Instance { get; } = new();
    }

    /// <summary>The descriptor is closed.</summary>
    public sealed record FileClosed
    {
        public static FileClosed Instance { get; } = new();
    }

    /// <summary>The holder writes back dirty chunk <paramref name="Chunk"/> before unlocking.</summary>
    public sealed record WriteBack(int Chunk);

    /// <summary>Chunk <paramref name="Chunk"/> is written.</summary>
    public sealed record WrittenBack(int Chunk);

    /// <summary>From the manager to the notifier: a break has started; signal <paramref name="Holder"/>.</summary>
    public sealed record NotifyBreak(IActorRef Holder);

    /// <summary>From the manager to the notifier: the break is over (<paramref name="Forced"/> when the deadline ended it).</summary>
    public sealed record BreakFinished(bool Forced);

    /// <summary>SIGIO delivered to the holder (<c>kill_fasync(..., SIGIO, POLL_MSG)</c>).</summary>
    public sealed record Sigio
    {
        public static Sigio Instance { get; } = new();
    }

    /// <summary>A child reports that it is done and how many messages it received.</summary>
    public sealed record Finished(string Actor, int Messages);

    /// <summary>The number of writes-back the holder makes before unlocking.</summary>
    public const int DirtyChunks = 3;
}
