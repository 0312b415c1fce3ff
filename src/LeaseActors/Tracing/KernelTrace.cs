using LeaseActors.Kernel;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Tracing;

/// <summary>
/// The one place that defines the kernel's trace events: their kinds and field names. Actors call these
/// methods; monitors, findings and pictures read the same names back from <see cref="TraceEvent"/>s.
/// </summary>
/// <remarks>Processes appear by their names, descriptions by their ids, inodes by their paths.</remarks>
public sealed class KernelTrace
{
    private readonly RunTrace? _trace;
    private readonly Serilog.ILogger? _log;
    private readonly Action<TraceEntry>? _sink;
    private readonly object? _sync;
    private int _sunk;

    /// <summary>
    /// Writes to <paramref name="trace"/> (null records nothing) and, at Debug level, to <paramref name="log"/>
    /// for people reading along (Serilog; never used for results).
    /// </summary>
    public KernelTrace(RunTrace? trace, Serilog.ILogger? log = null)
    {
        _trace = trace;
        _log = log is not null && log.IsEnabled(Serilog.Events.LogEventLevel.Debug) ? log : null;
    }

    /// <summary>
    /// A trace for a real-time kernel, whose actors record from many threads at once: events are stamped by
    /// <paramref name="clock"/> and recorded one at a time, into <paramref name="trace"/> if given, else handed to
    /// <paramref name="sink"/> (so a long-running emulation need not keep every event).
    /// </summary>
    internal KernelTrace(RunTrace? trace, Action<TraceEntry>? sink, KernelClock clock, Serilog.ILogger? log)
        : this(trace, log)
    {
        _sink = trace is null ? sink : null;
        _sync = new object();
        Clock = clock;
    }

    /// <summary>The underlying trace, if any.</summary>
    public RunTrace? Trace => _trace;

    /// <summary>The kernel's clock; the kernel sets the simulation's when no real-time clock was given.</summary>
    internal KernelClock Clock { get; private set; } = null!;

    internal void UseSimulationClock(Akka.Actor.IScheduler scheduler) => Clock ??= KernelClock.Simulated(scheduler);

    /// <summary>A copy of the events recorded so far, taken between two events (safe while a real-time kernel runs).</summary>
    internal TraceEntry[] Snapshot()
    {
        if (_trace is null) return [];
        if (_sync is null) return [.. _trace.Entries];
        lock (_sync) return [.. _trace.Entries];
    }

    /// <summary>Records an event of <paramref name="kind"/> with <paramref name="fields"/>.</summary>
    public void Record(string kind, params (string, object?)[] fields)
    {
        if (_trace is null && _log is null && _sink is null) return;
        var e = new TraceEvent(kind, fields);
        if (_sync is null) _trace?.Record(e);
        else
        {
            lock (_sync)
            {
                if (_trace is not null) _trace.Record(e);
                else _sink?.Invoke(new TraceEntry(_sunk++, Clock.Now, e));
            }
        }
        _log?.Debug("{Kind} {Event}", kind, e.ToString());
    }

#pragma warning disable CS1591 // each method records the event its name says; the kinds are listed in docs/kernel-model.md
    public void ProcessCreated(string process, int pid, string? parent) => Record("process.created", ("process", process), ("pid", pid), ("parent", parent));
    public void ProcessExited(string process, int pid, int status, int? signal) => Record("process.exited", ("process", process), ("pid", pid), ("status", status), ("signal", signal is { } s ? Signals.Sig.Name(s) : null));
    public void ThreadCreated(string process, string thread, int tid) => Record("thread.created", ("process", process), ("thread", thread), ("tid", tid));
    public void ThreadExited(string process, string thread, int tid) => Record("thread.exited", ("process", process), ("thread", thread), ("tid", tid));
    public void SyscallEnter(string process, string thread, long call, string name, string args, string? label) => Record("syscall.enter", ("process", process), ("thread", thread), ("call", call), ("name", name), ("args", args), ("label", label));
    public void SyscallExit(string process, string thread, long call, string name, string? label, long value, Errno errno, long enteredUs, System.Collections.Immutable.ImmutableArray<long> values = default)
    {
        // Calls that return several values (socketpair, recvmsg, F_GETOWN_EX) record them all; the others keep the short form.
        if (!values.IsDefault && values.Length > 1)
            Record("syscall.exit", ("process", process), ("thread", thread), ("call", call), ("name", name), ("label", label), ("value", value), ("errno", errno == Errno.None ? null : errno.ToString()), ("enteredUs", enteredUs), ("values", values));
        else
            Record("syscall.exit", ("process", process), ("thread", thread), ("call", call), ("name", name), ("label", label), ("value", value), ("errno", errno == Errno.None ? null : errno.ToString()), ("enteredUs", enteredUs));
    }
    public void SyscallInterrupted(string process, long call, string name, bool restart) => Record("syscall.interrupted", ("process", process), ("call", call), ("name", name), ("restart", restart));
    public void BreakerBlocked(string path, string process, long call, bool writer) => Record("breaker.blocked", ("path", path), ("process", process), ("call", call), ("writer", writer));
    public void BreakerUnblocked(string path, string process, long call, string how) => Record("breaker.unblocked", ("path", path), ("process", process), ("call", call), ("how", how));
    public void FdInstalled(string process, int fd, long ofd, string path, string via) => Record("fd.installed", ("process", process), ("fd", fd), ("ofd", ofd), ("path", path), ("via", via));
    public void FdClosed(string process, int fd, long ofd, string via) => Record("fd.closed", ("process", process), ("fd", fd), ("ofd", ofd), ("via", via));
    public void OfdRef(long ofd, int refs, string reason) => Record("ofd.ref", ("ofd", ofd), ("refs", refs), ("reason", reason));
    public void OfdReleased(long ofd, string path) => Record("ofd.released", ("ofd", ofd), ("path", path));
    public void LeaseAdded(string path, long ofd, string type, string leaseClass, string process) => Record("lease.added", ("path", path), ("ofd", ofd), ("type", type), ("class", leaseClass), ("process", process));
    public void LeaseChanged(string path, long ofd, string from, string to, string reason) => Record("lease.changed", ("path", path), ("ofd", ofd), ("from", from), ("to", to), ("reason", reason));
    public void LeaseRemoved(string path, long ofd, string type, string reason, string leaseClass = "Lease") => Record("lease.removed", ("path", path), ("ofd", ofd), ("type", type), ("reason", reason), ("class", leaseClass));
    public void LeaseBreak(string path, long ofd, bool toUnlock, long deadlineUs, string breaker, string leaseClass = "Lease") => Record("lease.break", ("path", path), ("ofd", ofd), ("toUnlock", toUnlock), ("deadlineUs", deadlineUs), ("breaker", breaker), ("class", leaseClass));
    public void SignalSent(string to, int signo, int code, int fd, long? ofd, string reason) => Record("signal.sent", ("to", to), ("signal", Signals.Sig.Name(signo)), ("code", code), ("fd", fd), ("ofd", ofd), ("reason", reason));
    /// <summary>A layout-lease break signalled to a holder of a region's verbs context (mr-holds-lease), not to the description's owner.</summary>
    public void SignalSentToContextHolder(string to, int signo, long leasedOfd, string reason) => Record("signal.sent", ("to", to), ("signal", Signals.Sig.Name(signo)), ("code", Signals.Sig.SI_KERNEL), ("fd", 0), ("ofd", leasedOfd), ("reason", reason), ("via", "verbs-context"));
    public void SignalLost(long? ofd, string owner, string reason) => Record("signal.lost", ("ofd", ofd), ("owner", owner), ("reason", reason));
    public void SignalDelivered(string process, Signals.SigInfo info, string action) => Record("signal.delivered", ("process", process), ("signal", Signals.Sig.Name(info.Signo)), ("code", info.Code), ("fd", info.Fd), ("band", info.Band), ("action", action));
    public void SignalPending(string process, int signo, string state) => Record("signal.pending", ("process", process), ("signal", Signals.Sig.Name(signo)), ("state", state));
    public void HandlerStarted(string process, string thread, int signo) => Record("handler.start", ("process", process), ("thread", thread), ("signal", Signals.Sig.Name(signo)));
    public void HandlerEnded(string process, int signo, string outcome) => Record("handler.end", ("process", process), ("signal", Signals.Sig.Name(signo)), ("outcome", outcome));
    public void LabelReached(string process, string label) => Record("label", ("process", process), ("label", label));
    public void SocketSent(string socket, string process, int end, int fds) => Record("socket.sent", ("socket", socket), ("process", process), ("end", end), ("fds", fds));
    public void SocketDropped(string socket, int messages) => Record("socket.dropped", ("socket", socket), ("messages", messages));
    public void RegionRegistered(string region, long id, string process, string path, long context, bool odp, double dmaPerSecond, Files.BlockSet blocks, long? leaseOfd) =>
        Record("region.registered", ("region", region), ("id", id), ("process", process), ("path", path), ("context", context), ("odp", odp), ("dmaPerSecond", dmaPerSecond), ("blocks", blocks), ("leaseOfd", leaseOfd));
    public void RegionRefused(string region, string process, string path, Errno errno, string why) => Record("region.refused", ("region", region), ("process", process), ("path", path), ("errno", errno.ToString()), ("why", why));
    public void RegionTornDown(string region, long id, string path, string process, string why) => Record("region.torndown", ("region", region), ("id", id), ("path", path), ("process", process), ("why", why));
    public void RegionInvalidated(string region, long id, int blocks) => Record("region.invalidated", ("region", region), ("id", id), ("blocks", blocks));
    public void BlocksAllocated(string path, Files.BlockSet blocks) => Record("blocks.allocated", ("path", path), ("blocks", blocks));
    public void BlocksFreed(string path, Files.BlockSet blocks) => Record("blocks.freed", ("path", path), ("blocks", blocks));
    public void LayoutChange(string path, string process, long call, string op, long deadlineUs) => Record("layout.change", ("path", path), ("process", process), ("call", call), ("op", op), ("deadlineUs", deadlineUs));
    public void LayoutWaiting(string path, string process, long call, string what) => Record("layout.waiting", ("path", path), ("process", process), ("call", call), ("what", what));
    public void LayoutDone(string path, string process, long call, Errno errno) => Record("layout.done", ("path", path), ("process", process), ("call", call), ("errno", errno == Errno.None ? null : errno.ToString()));
    public void PassRefused(string process, long ofd, Errno errno) => Record("pass.refused", ("process", process), ("ofd", ofd), ("errno", errno.ToString()));
    public void PolicyKill(string process, string path, string why) => Record("policy.kill", ("process", process), ("path", path), ("why", why));
    public void CloseBlocked(string path, long ofd, string why) => Record("close.blocked", ("path", path), ("ofd", ofd), ("why", why));
    public void CloseUnblocked(string path, long ofd) => Record("close.unblocked", ("path", path), ("ofd", ofd));
#pragma warning restore CS1591
}
