using System.Collections.Immutable;
using LeaseActors.Signals;

namespace LeaseActors.Processes;

/// <summary>
/// An emulated system call. Sent to a process inside <see cref="Process.Execute"/> (the embedding API) or run
/// as a step of the process's program. Results come back as a <see cref="SyscallResult"/>: a value or an errno.
/// </summary>
/// <remarks>Names in <c>As</c> fields name the resulting fds (or mapping) for later steps of the same program.</remarks>
public abstract record Syscall
{
    /// <summary>The call's name as a trace and a timeline show it (<c>open</c>, <c>fcntl(F_SETLEASE)</c>).</summary>
    public abstract string Name { get; }
}

#pragma warning disable CS1591 // The records below are documented by their summaries; their parameters are the C arguments.

/// <summary><c>open(path, flags)</c>. Breaks leases as <c>do_dentry_open</c> does; blocks unless O_NONBLOCK.</summary>
public sealed record Open(string Path, OpenFlags Flags, string? As = null) : Syscall { public override string Name => "open"; }

/// <summary><c>close(fd)</c>. The last reference to the description releases its lease.</summary>
public sealed record Close(FdRef Fd) : Syscall { public override string Name => "close"; }

/// <summary><c>dup(fd)</c>: a new fd on the same description.</summary>
public sealed record Dup(FdRef Fd, string? As = null) : Syscall { public override string Name => "dup"; }

/// <summary><c>fork()</c>: a child process named <paramref name="ChildName"/> that shares every open description and runs <paramref name="ChildProgram"/>.</summary>
public sealed record Fork(string ChildName, ImmutableArray<Step> ChildProgram) : Syscall { public override string Name => "fork"; }

/// <summary>Starts a thread (<c>clone(CLONE_THREAD)</c>) named <paramref name="ThreadName"/> that shares the fd table and runs <paramref name="Program"/>.</summary>
public sealed record SpawnThread(string ThreadName, ImmutableArray<Step> Program) : Syscall { public override string Name => "clone"; }

/// <summary>Ends the calling thread only (the process lives on while another thread runs).</summary>
public sealed record ExitThread : Syscall { public override string Name => "exit_thread"; }

/// <summary><c>execve</c>: closes FD_CLOEXEC fds, resets handled signals to their default, and runs <paramref name="Program"/>.</summary>
public sealed record Execve(ImmutableArray<Step> Program) : Syscall { public override string Name => "execve"; }

/// <summary><c>exit_group(status)</c>: every thread ends; fds close in an order the kernel does not define.</summary>
public sealed record Exit(int Status = 0) : Syscall { public override string Name => "exit"; }

/// <summary><c>kill(target, signo)</c>; a group target signals every member.</summary>
public sealed record Kill(ProcessRef Target, int Signo) : Syscall { public override string Name => "kill"; }

/// <summary><c>setpgid(0, pgid)</c>: join the group led by <paramref name="Leader"/>, or lead a new group when null.</summary>
public sealed record Setpgid(ProcessRef? Leader = null) : Syscall { public override string Name => "setpgid"; }

/// <summary><c>setuid(uid)</c>: sets uid, euid, suid and fsuid.</summary>
public sealed record Setuid(int Uid) : Syscall { public override string Name => "setuid"; }

/// <summary><c>setfsuid(uid)</c>: the uid used for file permission checks (F_SETLEASE's ownership check).</summary>
public sealed record Setfsuid(int Uid) : Syscall { public override string Name => "setfsuid"; }

/// <summary>Grants or drops CAP_LEASE (the capability that lets a non-owner take leases).</summary>
public sealed record SetCapLease(bool Granted) : Syscall { public override string Name => "capset(CAP_LEASE)"; }

/// <summary><c>fcntl(fd, F_SETLEASE, arg)</c>; <paramref name="Arg"/> is F_RDLCK (0), F_WRLCK (1), F_UNLCK (2) or any other value (EINVAL).</summary>
public sealed record SetLease(FdRef Fd, int Arg) : Syscall { public override string Name => "fcntl(F_SETLEASE)"; }

/// <summary><c>fcntl(fd, F_GETLEASE)</c>.</summary>
public sealed record GetLease(FdRef Fd) : Syscall { public override string Name => "fcntl(F_GETLEASE)"; }

/// <summary><c>fcntl(fd, F_SETOWN, target)</c>; null target is F_SETOWN 0 (nobody).</summary>
public sealed record SetOwn(FdRef Fd, ProcessRef? Target) : Syscall { public override string Name => "fcntl(F_SETOWN)"; }

/// <summary><c>fcntl(fd, F_SETOWN_EX, {type, id})</c>.</summary>
public sealed record SetOwnEx(FdRef Fd, OwnerKind Kind, ProcessRef Target) : Syscall { public override string Name => "fcntl(F_SETOWN_EX)"; }

/// <summary><c>fcntl(fd, F_GETOWN)</c>: the owner pid, negative for a group, 0 if none or gone.</summary>
public sealed record GetOwn(FdRef Fd) : Syscall { public override string Name => "fcntl(F_GETOWN)"; }

/// <summary><c>fcntl(fd, F_GETOWN_EX)</c>: values [type, id].</summary>
public sealed record GetOwnEx(FdRef Fd) : Syscall { public override string Name => "fcntl(F_GETOWN_EX)"; }

/// <summary><c>fcntl(fd, F_SETSIG, signo)</c>; 0 restores plain SIGIO.</summary>
public sealed record SetSig(FdRef Fd, int Signo) : Syscall { public override string Name => "fcntl(F_SETSIG)"; }

/// <summary><c>fcntl(fd, F_GETSIG)</c>.</summary>
public sealed record GetSig(FdRef Fd) : Syscall { public override string Name => "fcntl(F_GETSIG)"; }

/// <summary><c>fcntl(fd, F_SETFD, FD_CLOEXEC or 0)</c>.</summary>
public sealed record SetCloexec(FdRef Fd, bool Cloexec) : Syscall { public override string Name => "fcntl(F_SETFD)"; }

/// <summary><c>stat(path)</c>: returns the size; never breaks a lease.</summary>
public sealed record Stat(string Path) : Syscall { public override string Name => "stat"; }

/// <summary><c>truncate(path, length)</c>: breaks leases as a writer.</summary>
public sealed record Truncate(string Path, long Length = 0) : Syscall { public override string Name => "truncate"; }

/// <summary><c>ftruncate(fd, length)</c>: through an existing description, never breaks.</summary>
public sealed record Ftruncate(FdRef Fd, long Length = 0) : Syscall { public override string Name => "ftruncate"; }

/// <summary><c>write(fd, buf, bytes)</c>: never breaks an fcntl lease.</summary>
public sealed record Write(FdRef Fd, long Bytes = 1) : Syscall { public override string Name => "write"; }

/// <summary><c>unlink(path)</c>: a delegation breaker, which never breaks an fcntl lease.</summary>
public sealed record Unlink(string Path) : Syscall { public override string Name => "unlink"; }

/// <summary><c>rename(from, to)</c>.</summary>
public sealed record Rename(string From, string To) : Syscall { public override string Name => "rename"; }

/// <summary><c>link(existing, newPath)</c>.</summary>
public sealed record Link(string Existing, string NewPath) : Syscall { public override string Name => "link"; }

/// <summary><c>chmod(path, mode)</c>.</summary>
public sealed record Chmod(string Path, int Mode) : Syscall { public override string Name => "chmod"; }

/// <summary><c>chown(path, uid, -1)</c>: changes the owner the F_SETLEASE ownership check compares with.</summary>
public sealed record Chown(string Path, int Uid) : Syscall { public override string Name => "chown"; }

/// <summary><c>utimensat(AT_FDCWD, path, NULL, 0)</c>.</summary>
public sealed record Utimensat(string Path) : Syscall { public override string Name => "utimensat"; }

/// <summary><c>mmap</c> of the whole file; a mapping holds a reference to the description until <c>munmap</c>.</summary>
public sealed record Mmap(FdRef Fd, bool Shared = true, string? As = null) : Syscall { public override string Name => "mmap"; }

/// <summary><c>munmap</c> of a mapping, by its name or by the address <c>mmap</c> returned.</summary>
public sealed record Munmap(string Mapping) : Syscall { public override string Name => "munmap"; }

/// <summary><c>socketpair(AF_UNIX, SOCK_STREAM)</c>: values [fd0, fd1].</summary>
public sealed record SocketPair(string? As0 = null, string? As1 = null) : Syscall { public override string Name => "socketpair"; }

/// <summary><c>sendmsg(socket, SCM_RIGHTS = fds)</c>: takes a reference on each description for the message in flight.</summary>
public sealed record SendMsg(FdRef Socket, ImmutableArray<FdRef> Fds) : Syscall { public override string Name => "sendmsg"; }

/// <summary><c>recvmsg(socket)</c>: blocks until a message arrives; installs its fds, named by <paramref name="As"/> in order.</summary>
public sealed record RecvMsg(FdRef Socket, ImmutableArray<string> As) : Syscall { public override string Name => "recvmsg"; }

/// <summary>
/// Writes <paramref name="Value"/> to <c>/proc/sys/fs/</c><paramref name="Entry"/>: <c>lease-break-time</c> (seconds;
/// zero or negative means never, as <c>__break_lease</c> only arms a deadline when it is &gt; 0) or <c>leases-enable</c>
/// (0 disables new leases). Root only (the files are 0644 root), <c>ENOENT</c> for another name. A change applies to
/// breaks that start later; pending breaks keep their deadlines (SEMANTICS §5, case C16).
/// </summary>
public sealed record WriteSysctl(string Entry, long Value) : Syscall { public override string Name => "write(/proc/sys/fs)"; }

/// <summary><c>sigaction(signo, action)</c>.</summary>
public sealed record Sigaction(int Signo, SignalAction Action) : Syscall { public override string Name => "sigaction"; }

/// <summary><c>sigprocmask(how, set)</c>.</summary>
public sealed record Sigprocmask(MaskHow How, ImmutableArray<int> Signals) : Syscall { public override string Name => "sigprocmask"; }

/// <summary><c>ibv_open_device</c>: opens an RDMA device context (<c>/dev/infiniband/uverbs0</c>), an open file that owns memory regions.</summary>
public sealed record OpenVerbsContext(string? As = null) : Syscall { public override string Name => "ibv_open_device"; }

/// <summary>
/// The policy-neutral "take a layout lease" of DESIGN.md §3: <c>F_SETLEASE F_LAYOUT</c> (rfc-v1 and most designs),
/// <c>F_LAYOUT|F_EXCLUSIVE</c> (rfc-v2), nothing where no lease is needed (odp, wait-forever), <c>EINVAL</c> under mainline.
/// </summary>
public sealed record TakeLayoutLease(FdRef Fd) : Syscall { public override string Name => "layout_lease"; }

/// <summary>The policy-neutral release of a layout lease (<c>F_SETLEASE F_UNLCK</c> of the layout lease).</summary>
public sealed record ReleaseLayoutLease(FdRef Fd) : Syscall { public override string Name => "layout_unlock"; }

/// <summary>
/// <c>ibv_reg_mr</c> through the verbs context <paramref name="Context"/> over the mapping <paramref name="Mapping"/>
/// (from <paramref name="Offset"/>, <paramref name="Length"/> bytes or to the end): the region, named
/// <paramref name="Region"/> in its context, pins those blocks (unless <paramref name="Odp"/>: on-demand paging) and the
/// device writes into them at <paramref name="DmaPerSecond"/> until it is deregistered. Returns the region id.
/// </summary>
public sealed record RegisterRegion(FdRef Context, string Mapping, string Region, bool Odp = false, double DmaPerSecond = 1000, long Offset = 0, long? Length = null) : Syscall
{
    /// <inheritdoc />
    public override string Name => "ibv_reg_mr";
}

/// <summary><c>ibv_dereg_mr</c> of the region named <paramref name="Region"/> in the verbs context <paramref name="Context"/>: the device stops and the pins go.</summary>
public sealed record DeregisterRegion(FdRef Context, string Region) : Syscall { public override string Name => "ibv_dereg_mr"; }

/// <summary><c>fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length)</c>: frees the blocks of the whole pages in the range (a layout change).</summary>
public sealed record PunchHole(FdRef Fd, long Offset, long Length) : Syscall { public override string Name => "fallocate(PUNCH_HOLE)"; }

#pragma warning restore CS1591

/// <summary>The owner types of <c>F_SETOWN_EX</c>/<c>F_GETOWN_EX</c> (Linux values).</summary>
public enum OwnerKind
{
    /// <summary><c>F_OWNER_TID</c>: one thread.</summary>
    F_OWNER_TID = 0,
    /// <summary><c>F_OWNER_PID</c>: a process (thread group).</summary>
    F_OWNER_PID = 1,
    /// <summary><c>F_OWNER_PGRP</c>: a process group.</summary>
    F_OWNER_PGRP = 2,
}

/// <summary>How <c>sigprocmask</c> changes the blocked set.</summary>
public enum MaskHow
{
    /// <summary><c>SIG_BLOCK</c>: add.</summary>
    SIG_BLOCK = 0,
    /// <summary><c>SIG_UNBLOCK</c>: remove.</summary>
    SIG_UNBLOCK = 1,
    /// <summary><c>SIG_SETMASK</c>: replace.</summary>
    SIG_SETMASK = 2,
}

/// <summary>What a process does with a signal (<c>struct sigaction</c>).</summary>
public abstract record SignalAction
{
    /// <summary><c>SIG_DFL</c>.</summary>
    public static SignalAction Default { get; } = new DefaultAction();

    /// <summary><c>SIG_IGN</c>.</summary>
    public static SignalAction Ignore { get; } = new IgnoreAction();

    /// <summary>The default action.</summary>
    public sealed record DefaultAction : SignalAction;

    /// <summary>Ignore the signal.</summary>
    public sealed record IgnoreAction : SignalAction;

    /// <summary>Run <paramref name="Handler"/>.</summary>
    public sealed record Handle(SignalHandler Handler) : SignalAction;
}

/// <summary>
/// A signal handler: it takes <paramref name="Takes"/> of virtual time, then runs <paramref name="Steps"/>.
/// </summary>
/// <param name="Takes">Handling time before the steps' effects.</param>
/// <param name="Steps">What the handler does (e.g. <c>F_SETLEASE F_UNLCK</c>); a <see cref="FaultStep"/> makes it fault.</param>
/// <param name="Restart"><c>SA_RESTART</c>: an interrupted blocking call restarts instead of failing with EINTR.</param>
/// <param name="SigInfo"><c>SA_SIGINFO</c>: the handler sees <c>si_code</c>/<c>si_fd</c> (recorded in the trace either way).</param>
public sealed record SignalHandler(TimeSpan Takes, ImmutableArray<Step> Steps, bool Restart = false, bool SigInfo = true);
