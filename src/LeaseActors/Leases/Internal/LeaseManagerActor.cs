using LeaseActors.Internal;
using System.Collections.Immutable;
using LeaseActors.Kernel;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Files.Internal;
using LeaseActors.Kernel.Internal;
using LeaseActors.Processes;
using LeaseActors.Tracing;

namespace LeaseActors.Leases.Internal;

/// <summary>
/// One inode and its lease list (<c>file_lock_context</c>): the linearization point for opens, truncates, lease
/// requests, lease queries and last-close removal on that inode, as <c>flc_lock</c> is in the kernel. Owns the
/// <see cref="LeaseList"/>, the inode's type, owner uid and size, the blocked breakers, and the open file
/// descriptions of the inode (its children), and the breakers' answers held until their break signals are queued
/// (acknowledged by <see cref="NotifyDone"/>). Emits replies to the calling process, <see cref="BreakNotify"/> and
/// <see cref="LeaseGone"/> to descriptions, and trace events for every lease change.
/// </summary>
internal sealed partial class LeaseManagerActor : MessageActor, IWithTimers
{
    private readonly InodeId _inode;
    private readonly string _path;
    private readonly FileType _type;
    private readonly KernelTrace _trace;
    private readonly KernelHosting _hosting;

    /// <summary>A description's actor reads nothing from the kernel's options (see <see cref="DescriptionSpec"/>).</summary>
    private static readonly KernelOptions DescriptionOptions = new();
    private readonly LeaseList _leases = new();
    private readonly Dictionary<OfdId, IActorRef> _ofds = [];
    private readonly List<Breaker> _breakers = [];
    private readonly List<LeaseChange> _changes = [];
    private readonly Dictionary<long, OfdId> _unackedNotifies = [];
    private readonly List<(HashSet<long> WaitFor, IActorRef To, object Reply)> _heldReplies = [];
    private long _nextNotify;
    private Sysctls _sysctls;
    private int _ownerUid;
    private long _size;

    private sealed record Breaker(long CallId, IActorRef ReplyTo, string Process, bool WantWrite, OpenInode? Open, TruncateInode? Truncate, long Since)
    {
        /// <summary>Set for a layout change parked on layout leases or pins (its fcntl-lease phase is over).</summary>
        public LayoutChange? Layout { get; init; }
    }

    public LeaseManagerActor(InodeId inode, string path, FileType type, int ownerUid, long size, Sysctls sysctls, KernelTrace trace,
        KernelPolicy policy, bool dax, BlockSet blocks, IActorRef kernel, KernelHosting? hosting = null)
    {
        _hosting = hosting ?? KernelHosting.Local;
        _inode = inode;
        _path = path;
        _type = type;
        _ownerUid = ownerUid;
        _size = size;
        _sysctls = sysctls;
        _trace = trace;
        _policy = policy;
        _dax = dax;
        _kernel = kernel;
        _blocks.Append(blocks);
        ReceiveLayout();

        Receive<OpenInode>(OnOpen);
        Receive<TruncateInode>(OnTruncate);
        Receive<WriteInode>(OnWrite);
        Receive<StatInode>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(_size))));
        Receive<ChownInode>(m =>
        {
            _ownerUid = m.Uid;
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
        });
        Receive<SetLeaseOn>(OnSetLease);
        Receive<GetLeaseOn>(m =>
        {
            var type = _leases.GetLease(m.Ofd, Now, _changes);
            Apply();
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok((int)type)));
        });
        Receive<NotifyDone>(m => Acknowledge(t => t == m.Token));
        Receive<FileReleased>(m =>
        {
            if (!HoldClose(m)) ReleaseDescription(m);
        });
        Receive<CancelWait>(OnCancel);
        Receive<WakeBreakers>(_ => Apply(recheck: true));
        Receive<SysctlsChanged>(m => _sysctls = m.Values);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private long Now => _trace.Clock.NowTicks;

    public static Props Props(InodeId inode, string path, FileType type, int ownerUid, long size, Sysctls sysctls, KernelTrace trace,
        KernelPolicy policy, bool dax, BlockSet blocks, IActorRef kernel, KernelHosting? hosting = null) =>
        PropsOf.Create(() => new LeaseManagerActor(inode, path, type, ownerUid, size, sysctls, trace, policy, dax, blocks, kernel, hosting));

    private void OnOpen(OpenInode m)
    {
        var path = (m.Flags & OpenFlags.O_PATH) != 0;
        if (!path && _type == FileType.Directory && m.Flags.Writes())
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EISDIR)));
            return;
        }
        if (path)
        {
            CompleteOpen(m);
            return;
        }
        // do_dentry_open: the counts first, then break_lease(inode, flags).
        _leases.AddOpen(m.Ofd, m.Flags.Reads(), m.Flags.Writes());
        var wantWrite = m.Flags.AccessMode() != OpenFlags.O_RDONLY;
        var outcome = _leases.Break(Now, wantWrite, LeaseClass.Lease, _sysctls.LeaseBreakTime.Ticks, (m.Flags & OpenFlags.O_NONBLOCK) != 0, _changes);
        Apply(breaker: m.Process);
        switch (outcome)
        {
            case BreakOutcome.Proceed:
                CompleteOpen(m);
                break;
            case BreakOutcome.WouldBlock:
                _leases.RemoveOpen(m.Ofd);
                ReplyToBreaker(m.ReplyTo, new Reply(m.CallId, SyscallResult.Fail(Errno.EAGAIN)));
                break;
            default:
                Park(new Breaker(m.CallId, m.ReplyTo, m.Process, wantWrite, m, null, Now));
                break;
        }
    }

    private void CompleteOpen(OpenInode m)
    {
        var actor = _hosting.Host(Context, "ofd-" + m.Ofd.Value, new DescriptionSpec(m.Ofd, _path, _kernel, Self), DescriptionOptions, _trace);
        _ofds[m.Ofd] = actor;
        if ((m.Flags & OpenFlags.O_TRUNC) != 0 && (m.Flags & OpenFlags.O_PATH) == 0 && _type == FileType.Regular) _size = 0;
        var handle = new OfdHandle(m.Ofd, actor, _inode, Self, _path, _type, m.Flags);
        ReplyToBreaker(m.ReplyTo, new Reply(m.CallId, SyscallResult.Ok(), handle));
    }

    private void OnTruncate(TruncateInode m)
    {
        if (_type == FileType.Directory)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EISDIR)));
            return;
        }
        if (_type != FileType.Regular)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL)));
            return;
        }
        if (!m.Breaks)
        {
            BeginLayoutChange(m);
            return;
        }
        // vfs_truncate: break_lease(inode, O_WRONLY), blocking; then the file system's setattr (layout change).
        var outcome = _leases.Break(Now, true, LeaseClass.Lease, _sysctls.LeaseBreakTime.Ticks, false, _changes);
        Apply(breaker: m.Process);
        if (outcome == BreakOutcome.Proceed)
        {
            BeginLayoutChange(m);
        }
        else
        {
            Park(new Breaker(m.CallId, m.ReplyTo, m.Process, true, null, m, Now));
        }
    }

    private void OnSetLease(SetLeaseOn m)
    {
        // generic_setlease: ownership, then file type, then the request itself.
        if (m.Creds.Fsuid != _ownerUid && !m.Creds.CapLease)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EACCES)));
            return;
        }
        if (_type != FileType.Regular)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL)));
            return;
        }
        var arg = (LeaseType)m.Arg;
        Errno error;
        if (arg == LeaseType.F_UNLCK)
        {
            error = _leases.DeleteLease(m.Ofd.Id, m.Class, _changes);
            Apply();
            m.ReplyTo.Tell(new Reply(m.CallId, error == Errno.None ? SyscallResult.Ok() : SyscallResult.Fail(error)));
            return;
        }
        error = _leases.AddLease(m.Ofd.Id, arg, m.Class, m.Ofd.Reads, m.Ofd.Writes, _sysctls.LeasesEnable, m.CallerPid, Now, _changes);
        Apply(holder: m.Process);
        if (error != Errno.None)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(error)));
            return;
        }
        // lease_setup runs on the description; it answers the caller.
        m.Ofd.Actor.Tell(new SetupLease(m.CallId, m.ReplyTo, m.Fd, new FOwner(m.CallerTid, PidType.Tgid, m.Creds.Uid, m.Creds.Euid)));
    }

    /// <summary><c>__fput</c> of one of this inode's descriptions: its leases and open counts go, then the closer's call returns.</summary>
    private void ReleaseDescription(FileReleased m)
    {
        _ofds.Remove(m.Ofd);
        Acknowledge(t => _unackedNotifies[t] == m.Ofd); // a description that went away signals nobody any more
        _leases.RemoveLeasesOf(m.Ofd, _changes);
        _leases.RemoveOpen(m.Ofd);
        Apply();
        m.ReplyTo?.Tell(new Reply(m.CallId, SyscallResult.Ok()));
    }

    private void OnCancel(CancelWait m)
    {
        var index = _breakers.FindIndex(b => b.CallId == m.CallId && b.ReplyTo.Equals(m.ReplyTo));
        if (index < 0)
        {
            m.ReplyTo.Tell(new WaitCancelled(m.CallId, false));
            return;
        }
        var breaker = _breakers[index];
        _breakers.RemoveAt(index);
        if (breaker.Open is { } open) _leases.RemoveOpen(open.Ofd);
        _trace.BreakerUnblocked(_path, breaker.Process, breaker.CallId, "interrupted");
        if (breaker.Layout is not null) _trace.LayoutDone(_path, breaker.Process, breaker.CallId, Errno.EINTR);
        m.ReplyTo.Tell(new WaitCancelled(m.CallId, true));
        Apply(recheck: true);
    }

    private void Park(Breaker breaker)
    {
        _breakers.Add(breaker);
        _trace.BreakerBlocked(_path, breaker.Process, breaker.CallId, breaker.WantWrite);
        // __break_lease signals every conflicting lease before it sleeps: a breaker that holds some of them itself
        // (a self-break) has all those signals pending, coalesced, by the time its sleep can be interrupted.
        ReplyToBreaker(breaker.ReplyTo, new Blocked(breaker.CallId));
        ScheduleWake();
    }

    /// <summary>Carries out the lease list's changes; when leases went away or a timer fired, lets blocked breakers look again.</summary>
    private void Apply(string? breaker = null, string? holder = null, bool recheck = false)
    {
        while (true)
        {
            foreach (var change in _changes)
            {
                switch (change)
                {
                    case LeaseChange.Notify n when (n.Class & LeaseClass.Layout) != 0 && NotifyLayoutBreak(n):
                        break;
                    case LeaseChange.Notify n:
                        if (_ofds.TryGetValue(n.Ofd, out var target))
                        {
                            var token = ++_nextNotify;
                            _unackedNotifies[token] = n.Ofd;
                            target.Tell(new BreakNotify(_path, token));
                        }
                        break;
                    case LeaseChange.BreakStarted b:
                        _trace.LeaseBreak(_path, b.Ofd.Value, b.ToUnlock, b.DeadlineTicks / TimeSpan.TicksPerMicrosecond, breaker ?? "?", b.Class.ToString());
                        break;
                    case LeaseChange.Added a:
                        _trace.LeaseAdded(_path, a.Ofd.Value, a.Type.ToString(), a.Class.ToString(), holder ?? "?");
                        break;
                    case LeaseChange.Modified mod:
                        _trace.LeaseChanged(_path, mod.Ofd.Value, mod.From.ToString(), mod.To.ToString(), mod.Reason.ToString());
                        recheck = true;
                        break;
                    case LeaseChange.Removed r:
                        _trace.LeaseRemoved(_path, r.Ofd.Value, r.Type.ToString(), r.Reason.ToString(), r.Class.ToString());
                        if (_ofds.TryGetValue(r.Ofd, out var ofd))
                        {
                            // revoke-kill: a layout lease not released by its deadline costs its owner process its life.
                            if (r.Reason == LeaseChangeReason.BreakTimeout && (r.Class & LeaseClass.Layout) != 0 && _policy.KillOwnerAtDeadline)
                                ofd.Tell(new KillOwner(_path));
                            ofd.Tell(LeaseGoneMessage);
                        }
                        recheck = true;
                        break;
                }
            }
            _changes.Clear();
            if (!recheck || _breakers.Count == 0) break;
            recheck = false;
            RecheckBreakers();
            if (_changes.Count == 0) break;
        }
        ScheduleWake();
    }

    private static readonly LeaseGone LeaseGoneMessage = new();

    private void RecheckBreakers()
    {
        for (var i = 0; i < _breakers.Count; i++)
        {
            var b = _breakers[i];
            if (b.Layout is { } layout)
            {
                if (!LayoutMayGoOn(layout)) continue;
                _breakers.RemoveAt(i--);
                _trace.BreakerUnblocked(_path, b.Process, b.CallId, layout.Phase == LayoutPhase.Leases ? "layout leases gone" : "pins gone");
                AdvanceLayout(layout);
                continue;
            }
            if (!_leases.Recheck(Now, b.WantWrite, LeaseClass.Lease, _changes)) continue;
            _breakers.RemoveAt(i--);
            _trace.BreakerUnblocked(_path, b.Process, b.CallId, "no conflict");
            if (b.Open is { } open) CompleteOpen(open);
            else if (b.Truncate is { } truncate) BeginLayoutChange(truncate);
        }
    }

    /// <summary>
    /// Answers a call that may have broken leases. <c>__break_lease</c> signals every lease holder (<c>lm_break</c>)
    /// before it returns or sleeps, so the answer waits until every break signal sent so far has been queued at its
    /// target: a program that learns of the breaker's return can never see the holder without the signal pending.
    /// </summary>
    private void ReplyToBreaker(IActorRef to, object reply)
    {
        if (_unackedNotifies.Count == 0) to.Tell(reply);
        else _heldReplies.Add(([.. _unackedNotifies.Keys], to, reply));
    }

    private void Acknowledge(Func<long, bool> done)
    {
        foreach (var token in _unackedNotifies.Keys.Where(done).ToList()) _unackedNotifies.Remove(token);
        for (var i = 0; i < _heldReplies.Count; i++)
        {
            var held = _heldReplies[i];
            held.WaitFor.RemoveWhere(t => !_unackedNotifies.ContainsKey(t));
            if (held.WaitFor.Count > 0) continue;
            _heldReplies.RemoveAt(i--);
            held.To.Tell(held.Reply);
        }
    }

    private void ScheduleWake()
    {
        if (_breakers.Count == 0)
        {
            Timers.Cancel("wake");
            return;
        }
        var now = Now;
        if (_leases.NextDeadline(now) is { } deadline) _trace.Clock.StartTimer(Timers, "wake", new WakeBreakers(), TimeSpan.FromTicks(Math.Max(0, deadline - now)));
        else Timers.Cancel("wake");
    }
}
