using LeaseActors.Internal;
using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Kernel.Internal;
using LeaseActors.Processes;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Tracing;

namespace LeaseActors.Kernel;

/// <summary>
/// The protocol of the emulated kernel's root actor: it creates files, processes and socket pairs, allocates
/// pids, inode numbers and description ids, holds the sysctls, routes signals and answers namespace calls.
/// </summary>
/// <remarks>
/// Set a kernel up with <see cref="CreateFile"/>, <see cref="Spawn"/> and <see cref="ConnectSocket"/> (each
/// answered with an acknowledgement to the sender), then send <see cref="Start"/>: every spawned process starts
/// its program, in spawn order. Processes are then driven by their programs or by <see cref="Process.Execute"/>.
/// </remarks>
public static class EmulatedKernel
{
    /// <summary>
    /// Creates a file (or directory or pipe) at <paramref name="Path"/>; an FS-DAX file (<paramref name="Dax"/>) gets
    /// blocks for its size from the file system's free list, and its pages can be pinned by RDMA. Answered with <see cref="FileCreated"/>.
    /// </summary>
    public sealed record CreateFile(string Path, FileType Type = FileType.Regular, long Size = 0, int OwnerUid = 0, bool Dax = false);

    /// <summary>The file exists now.</summary>
    public sealed record FileCreated(string Path, InodeId Inode);

    /// <summary>
    /// Creates a process named <paramref name="Name"/> (unique) with credentials <paramref name="Uid"/>, its signal
    /// actions, and the program its main thread will run once the kernel is started. Answered with <see cref="Spawned"/>.
    /// </summary>
    /// <param name="Name">The process's name in traces and programs.</param>
    /// <param name="Program">What the main thread runs.</param>
    /// <param name="Uid">uid = euid = suid = fsuid; root (0) also has CAP_LEASE.</param>
    /// <param name="Actions">Signal actions installed before the program starts (a topology's handlers).</param>
    /// <param name="ExitAtEnd">Exit with status 0 when the program ends (false keeps the process for <see cref="Process.Execute"/>).</param>
    /// <param name="Blocked">Signals blocked from the start (the mask a process inherits from whoever started it); default none.</param>
    public sealed record Spawn(string Name, ImmutableArray<Step> Program, int Uid = 0, ImmutableDictionary<int, SignalAction>? Actions = null, bool ExitAtEnd = true,
        ImmutableArray<int> Blocked = default);

    /// <summary>The process exists; it starts with <see cref="Start"/>.</summary>
    public sealed record Spawned(string Name, Pid Pid, IActorRef Process);

    /// <summary>
    /// Creates a unix socket pair named <paramref name="Name"/> with one end installed in each process, under that name.
    /// Answered with <see cref="SocketConnected"/> once both ends are installed; <see cref="Start"/> waits for that.
    /// </summary>
    public sealed record ConnectSocket(string Name, string ProcessA, string ProcessB);

    /// <summary>The socket pair exists and both ends are installed in their processes.</summary>
    public sealed record SocketConnected(string Name);

    /// <summary>Starts every spawned process's program, in spawn order, once every socket pair asked for so far is connected.</summary>
    public sealed record Start;

    /// <summary>Changes the lease sysctls; a null leaves a value unchanged. Pending breaks keep their deadlines. Answered with <see cref="SysctlsSet"/>.</summary>
    public sealed record SetSysctls(TimeSpan? LeaseBreakTime = null, bool? LeasesEnable = null);

    /// <summary>The sysctls were changed.</summary>
    public sealed record SysctlsSet;

    /// <summary>
    /// Props of a kernel with <paramref name="options"/>, recording into <paramref name="trace"/>, drawing unspecified
    /// orders from <paramref name="random"/>, and logging events at Debug level to <paramref name="log"/> if given.
    /// </summary>
    public static Props Props(KernelOptions options, RunTrace? trace, DeterministicRandom random, Serilog.ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        return PropsOf.Create(() => new KernelActor(options, new KernelTrace(trace, log), random));
    }

    /// <summary>Props of a kernel recording into <paramref name="trace"/> (which carries a real-time kernel's clock).</summary>
    internal static Props Props(KernelOptions options, KernelTrace trace, DeterministicRandom random, KernelHosting? hosting = null)
    {
        options.Validate();
        return PropsOf.Create(() => new KernelActor(options, trace, random, hosting));
    }
}

/// <summary>The emulated kernel's settings, with Linux's defaults.</summary>
public sealed record KernelOptions
{
    /// <summary><c>/proc/sys/fs/lease-break-time</c>. Default 45 s; zero means a lease is never broken by timeout.</summary>
    public TimeSpan LeaseBreakTime { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary><c>/proc/sys/fs/leases-enable</c>. Default true.</summary>
    public bool LeasesEnable { get; init; } = true;

    /// <summary>What a process does when a signal handler faults. Default: the process dies as if killed by SIGSEGV.</summary>
    public HandlerFaultPolicy HandlerFault { get; init; } = HandlerFaultPolicy.CrashProcess;

    /// <summary>
    /// <c>RLIMIT_SIGPENDING</c>: how many realtime signals may wait queued in one process. A lease-break signal chosen
    /// with <c>F_SETSIG</c> that finds the queue full falls back to plain <c>SIGIO</c> (<c>send_sigio_to_task</c>).
    /// Default 32768, Linux's <c>max_threads / 2</c> on an 8 GiB machine.
    /// </summary>
    /// <remarks>Linux counts queued signals per user; the model counts a process's queued realtime signals.</remarks>
    public int SigPendingLimit { get; init; } = 32768;

    /// <summary>The kernel design at the points the 2019 debate contested (DESIGN.md §3). Default <see cref="KernelPolicies.Mainline"/>.</summary>
    public KernelPolicy Policy { get; init; } = KernelPolicies.Mainline;

    /// <summary>Faults to inject (a sampled plan or a script), or null for none. Default null.</summary>
    public Chaos.ChaosSettings? Chaos { get; init; }

    /// <summary>The first pid handed out. Default 100.</summary>
    public int FirstPid { get; init; } = 100;

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public KernelOptions Validate()
    {
        if (LeaseBreakTime < TimeSpan.Zero) throw new ArgumentException($"LeaseBreakTime must not be negative, was {LeaseBreakTime}.", nameof(LeaseBreakTime));
        if (SigPendingLimit < 0) throw new ArgumentException($"SigPendingLimit must not be negative, was {SigPendingLimit}.", nameof(SigPendingLimit));
        if (Policy is null) throw new ArgumentException("Policy must be set.", nameof(Policy));
        if (FirstPid < 2) throw new ArgumentException($"FirstPid must be at least 2, was {FirstPid}.", nameof(FirstPid));
        return this;
    }
}

/// <summary>What a process's supervisor does when one of its signal handlers faults.</summary>
public enum HandlerFaultPolicy
{
    /// <summary>The process dies as if killed by SIGSEGV: its fds close, its leases go with their last reference.</summary>
    CrashProcess,
    /// <summary>The handler is abandoned and the process goes on as if it had returned.</summary>
    AbandonHandler,
}
