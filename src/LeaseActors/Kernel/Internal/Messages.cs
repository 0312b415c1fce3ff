using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Kernel.Internal;

// The kernel's internal protocol. Every request that a syscall waits for carries the process's call id and is
// answered with a Reply to ReplyTo, possibly by another actor than the one it was sent to (the chain ends where
// the syscall's last effect happens: see docs/kernel-model.md, "Causality rule").

/// <summary>Credentials a syscall is checked with.</summary>
internal sealed record Creds(int Uid, int Euid, int Suid, int Fsuid, bool CapLease)
{
    public static Creds Root { get; } = new(0, 0, 0, 0, true);

    /// <summary>Credentials with every id set to <paramref name="uid"/>; root's are the one shared <see cref="Root"/> (records are compared by value).</summary>
    public static Creds Of(int uid) => uid == 0 ? Root : new(uid, uid, uid, uid, false);
}

/// <summary>The answer to a call: its result, and for opens the new description.</summary>
internal sealed record Reply(long CallId, SyscallResult Result, OfdHandle? Opened = null, ImmutableArray<OfdHandle> Received = default);

/// <summary>Who sends a lease-break signal (<c>f_owner</c>): a pid of one of three types, and the credentials recorded with it.</summary>
internal sealed record FOwner(int Id, PidType Type, int Uid, int Euid);

/// <summary>The kernel's pid types (<c>enum pid_type</c>) that an owner can have.</summary>
internal enum PidType { Pid, Tgid, Pgid }

// ---- process → kernel ----
internal sealed record OpenPath(long CallId, IActorRef ReplyTo, string Process, int Pid, string Path, OpenFlags Flags, Creds Creds);
internal sealed record PathOp(long CallId, IActorRef ReplyTo, string Process, Syscall Call, Creds Creds);
internal sealed record SendKill(long CallId, IActorRef ReplyTo, string Process, int Pid, Creds Creds, ProcessRef Target, int Signo);
internal sealed record ResolveOwner(long CallId, IActorRef ReplyTo, string Process, OfdHandle Ofd, OwnerKind Kind, ProcessRef? Target, Creds Creds);
internal sealed record ForkProcess(long CallId, IActorRef ReplyTo, string Parent, string ChildName, ImmutableArray<Step> Program, ProcessImage Image);
internal sealed record CreateSocketPair(long CallId, IActorRef ReplyTo, string Process);
internal sealed record NewThread(long CallId, IActorRef ReplyTo, string Process, int Pid, string Thread);
internal sealed record ThreadGone(int Pid, int Tid);
internal sealed record ChangeCreds(int Pid, Creds Creds);
internal sealed record ChangePgid(long CallId, IActorRef ReplyTo, int Pid, ProcessRef? Leader);
internal sealed record ProcessGone(int Pid, int Status, int? Signal);
internal sealed record ReachLabel(string Process, string Label);
internal sealed record AwaitLabel(long CallId, IActorRef ReplyTo, string Process, string Label);
internal sealed record WriteSysctlOn(long CallId, IActorRef ReplyTo, string Process, string Entry, long Value, Creds Creds);

/// <summary>
/// What fork copies: credentials, group, fd table, fd names, mappings, signal state. A null <paramref name="Pgid"/> is a
/// group of the process's own (pgid = its pid), as for a process a shell starts: such an image names no process, so
/// the kernel gives every process of the scenario with the same uid and no signal state the same one.
/// </summary>
internal sealed record ProcessImage(
    Creds Creds, int? Pgid,
    ImmutableArray<(int Fd, OfdHandle Ofd, bool Cloexec)> Fds,
    ImmutableDictionary<string, int> FdNames,
    ImmutableArray<(string Name, long Address, OfdHandle Ofd)> Mappings,
    ImmutableDictionary<int, SignalAction> Actions,
    ImmutableHashSet<int> Blocked);

// ---- kernel → process ----
internal sealed record StartProgram;
/// <summary>
/// A signal for a process, or for one of its threads when <paramref name="Tid"/> is set (F_OWNER_TID).
/// <paramref name="SigioFallback"/>: an F_SETSIG signal that becomes plain SIGIO when the realtime queue is full.
/// </summary>
internal sealed record DeliverSignal(int Signo, SigInfo Info, string From, bool SigioFallback = false, int? Tid = null);
internal sealed record InstallFd(string Name, OfdHandle Ofd);
internal sealed record OpenThroughFd(OpenInode Open, int Fd);
internal sealed record Blocked(long CallId);

// ---- → lease manager (inode) ----
internal sealed record OpenInode(long CallId, IActorRef ReplyTo, string Process, OfdId Ofd, OpenFlags Flags);
internal sealed record TruncateInode(long CallId, IActorRef ReplyTo, string Process, long Length, bool Breaks, int Pid = 0, long? PunchOffset = null);
internal sealed record StatInode(long CallId, IActorRef ReplyTo);
internal sealed record ChownInode(long CallId, IActorRef ReplyTo, int Uid);
internal sealed record SetLeaseOn(long CallId, IActorRef ReplyTo, string Process, OfdHandle Ofd, int Arg, LeaseClass Class, int Fd, int CallerTid, int CallerPid, Creds Creds);
internal sealed record GetLeaseOn(long CallId, IActorRef ReplyTo, OfdId Ofd);
internal sealed record CancelWait(long CallId, IActorRef ReplyTo);
internal sealed record WaitCancelled(long CallId, bool Removed);
internal sealed record FileReleased(OfdId Ofd, long CallId, IActorRef? ReplyTo);
internal sealed record WakeBreakers;

// ---- → open file description ----
internal sealed record AddRef(string Reason);
/// <summary>
/// Drops one reference. With <paramref name="DeferFinal"/> (a process exiting), the answer comes at once with value 1 if
/// that was the last reference (0 otherwise), and the final release (<c>__fput</c>) waits for <see cref="RunFinalRelease"/>:
/// exit drops every reference first and runs the final releases one by one afterwards, as <c>task_work</c> does.
/// </summary>
internal sealed record ReleaseRef(long CallId, IActorRef? ReplyTo, string Reason, bool DeferFinal = false);
/// <summary>Runs the final release deferred by a <see cref="ReleaseRef"/> with DeferFinal; answered when it is done.</summary>
internal sealed record RunFinalRelease(long CallId, IActorRef ReplyTo);
internal sealed record SetOwner(long CallId, IActorRef ReplyTo, FOwner? Owner);
internal sealed record QueryOwner(long CallId, IActorRef ReplyTo, bool Extended);
internal sealed record SetSignum(long CallId, IActorRef ReplyTo, int Signo);
internal sealed record QuerySignum(long CallId, IActorRef ReplyTo);
internal sealed record SetupLease(long CallId, IActorRef ReplyTo, int Fd, FOwner Candidate);
internal sealed record LeaseGone;
/// <summary><c>lm_break</c> for one lease: signal the owner; <paramref name="Token"/> comes back in <see cref="NotifyDone"/> once the signal is generated.</summary>
internal sealed record BreakNotify(string Path, long Token);
/// <summary>The break signal of <see cref="BreakNotify"/> <paramref name="Token"/> has been queued at its targets (or found no target).</summary>
internal sealed record NotifyDone(long Token);

// ---- open file description → kernel ----
internal sealed record SendSigio(FOwner Owner, int Signum, int Fd, OfdId Ofd, string Path, IActorRef? AckTo = null, long Token = 0);
internal sealed record ReportOwner(long CallId, IActorRef ReplyTo, FOwner? Owner, bool Extended);

// ---- → unix socket ----
internal sealed record SocketSend(long CallId, IActorRef ReplyTo, string Process, int End, ImmutableArray<OfdHandle> Ofds);
internal sealed record SocketReceive(long CallId, IActorRef ReplyTo, string Process, int End);
internal sealed record SocketEndClosed(int End);

// ---- more → lease manager ----
internal sealed record WriteInode(long CallId, IActorRef ReplyTo, string Process, long Bytes, int Pid = 0, OfdId Ofd = default);
internal sealed record SysctlsChanged(Sysctls Values);

/// <summary>The kernel's global lease settings (<c>/proc/sys/fs/lease-break-time</c>, <c>leases-enable</c>).</summary>
internal sealed record Sysctls(TimeSpan LeaseBreakTime, bool LeasesEnable);

// ---- RDMA and FS-DAX ----

/// <summary>FS-DAX blocks: one per page (the file's map of them is <see cref="Files.BlockMap"/>).</summary>
internal static class Blocks
{
    /// <summary>Bytes per block (one page).</summary>
    public const long Size = 4096;

    /// <summary>How many blocks <paramref name="bytes"/> bytes take.</summary>
    public static long Count(long bytes) => (bytes + Size - 1) / Size;
}

// process → kernel
internal sealed record OpenVerbs(long CallId, IActorRef ReplyTo, string Process, int Pid);

// process → verbs context
internal sealed record RegisterMr(long CallId, IActorRef ReplyTo, string Process, int Pid, OfdHandle Data, string Region, bool Odp, double DmaPerSecond, long Offset, long? Length);
internal sealed record DeregisterMr(long CallId, IActorRef ReplyTo, string Process, string Region);
/// <summary>Does this description carry pins (a context with regions, a data description that regions pin)? Answered with a Reply of 1 or 0.</summary>
internal sealed record QueryPinned(long CallId, IActorRef ReplyTo, OfdId Ofd);

// verbs context → lease manager (inode)
internal sealed record PinRange(long CallId, IActorRef ReplyTo, string Process, int Pid, long RegionId, string Region, OfdId Context, IActorRef ContextActor,
    OfdId Data, bool Odp, double DmaPerSecond, long Offset, long? Length);
internal sealed record Unpin(long RegionId, long CallId, IActorRef? ReplyTo, string Process, string Why);

// lease manager → verbs context
internal sealed record Pinned(long CallId, IActorRef ReplyTo, long RegionId, string Region, OfdHandle Data, BlockSet Blocks, bool Odp, double DmaPerSecond, string Process);
internal sealed record PinRefused(long CallId, IActorRef ReplyTo, string Process, string Region, Errno Errno);
internal sealed record InvalidateRegion(long RegionId, BlockSet Blocks);

// lease manager ↔ kernel: blocks
internal sealed record FreeBlocks(string Path, BlockSet Blocks);
internal sealed record AllocateBlocks(string Path, long Count, WriteInode Write);
internal sealed record BlocksGranted(BlockSet Blocks, WriteInode Write);

// lease manager → description → kernel: revoke-kill
internal sealed record KillOwner(string Path);
internal sealed record KillFOwner(FOwner Owner, string Path);

// lease manager → kernel → processes: mr-holds-lease notification
internal sealed record SignalContextHolders(ImmutableArray<OfdId> Contexts, OfdId Leased, string Path, IActorRef AckTo, long Token);
internal sealed record SignalIfHolding(ImmutableArray<OfdId> Contexts, OfdId Leased, string Path);
