using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Leases;
using LeaseActors.Signals;

namespace LeaseActors.Processes.Internal;

internal sealed partial class ProcessActor
{
    private void OnExecute(Process.Execute m)
    {
        if (_state is LifeState.Exiting or LifeState.Zombie)
        {
            AnswerAtExit(Sender, m.Call, m.RequestId);
            return;
        }
        // The main thread runs external calls; once it has exited (the process living on in other threads), the
        // lowest living thread does.
        var thread = MainThread.Alive ? MainThread : _threads.First(t => t.Alive);
        thread.EnqueueExternal((m, Sender));
        if (_state == LifeState.Created) _state = LifeState.Running;
        ScheduleContinue(thread);
    }

    /// <summary>Starts a syscall on <paramref name="thread"/>: records it, then runs or sends it.</summary>
    private void Issue(ThreadState thread, Syscall call, CallSource source, string? label, IActorRef? replyTo = null, long requestId = 0)
    {
        var pending = new PendingCall(_nextCall++, thread, call, source, label, Now) { ReplyTo = replyTo, RequestId = requestId };
        thread.Current = pending;
        Calls[pending.Id] = pending;
        _trace.SyscallEnter(_name, thread.Name, pending.Id, call.Name, Describe(call), label);
        var latency = call is Exit or ExitThread ? TimeSpan.Zero : _chaos.Delay(Chaos.ChaosPoint.Syscall, _name, null, label ?? call.Name, call.Name + (label is null ? "" : $" [{label}]"));
        if (latency > TimeSpan.Zero) _trace.Clock.StartTimer(Timers, "chaos-" + ++_chaosTimers, new DelayedDispatch(pending.Id), latency);
        else Dispatch(pending);
    }

    /// <summary>Finishes a syscall: records the result, installs what it produced, and resumes whoever waits for it.</summary>
    private void Complete(PendingCall call, SyscallResult result)
    {
        if (!Calls.Remove(call.Id)) return;
        var thread = call.Thread;
        if (thread.Current == call) thread.Current = null;
        _trace.SyscallExit(_name, thread.Name, call.Id, call.Call.Name, call.Label, result.Value, result.Errno, call.EnteredTicks / TimeSpan.TicksPerMicrosecond, result.Values);
        switch (call.Source)
        {
            case CallSource.External:
                call.ReplyTo?.Tell(new Process.Executed(call.Call, result, call.RequestId));
                if (call.Label is { } l) Reach(l);
                ScheduleContinue(thread);
                break;
            case CallSource.Handler:
                if (call.Label is { } hl) Reach(hl);
                if (_handler is { } h && h.Thread == thread) h.Actor?.Tell(new SignalHandlerActor.StepDone(result));
                break;
            default:
                StepDone(thread, thread.Program[thread.Pc]);
                break;
        }
        LaunchAfterCompletion(call);
        ProcessSignals();
    }

    private void OnReply(Reply reply)
    {
        if (_internalAcks?.Remove(reply.CallId, out var ack) == true)
        {
            if (_internalResults?.Remove(reply.CallId, out var result) == true) result(reply.Result);
            ack();
            return;
        }
        var waiter = Array.Find(_threads, t => t.Alive && t.Waiting is { CallId: { } waitId } && waitId == reply.CallId);
        if (waiter is not null)
        {
            var step = waiter.Waiting!.Step;
            waiter.Waiting = null;
            StepDone(waiter, step);
            return;
        }
        if (!Calls.TryGetValue(reply.CallId, out var call))
        {
            // The call was abandoned (the process is exiting); give back what the answer carried.
            if (reply.Opened is { } opened) opened.Actor.Tell(new ReleaseRef(0, null, "abandoned open"));
            if (!reply.Received.IsDefaultOrEmpty)
                foreach (var ofd in reply.Received) ofd.Actor.Tell(new ReleaseRef(0, null, "abandoned recvmsg"));
            return;
        }
        if (call.OnReply is { } onReply) onReply(reply);
        else Complete(call, reply.Result);
    }

    private static SyscallResult Fail(Errno errno) => SyscallResult.Fail(errno);

    private bool ResolveFd(FdRef fdRef, out int fd)
    {
        if (fdRef.Name is { } name)
        {
            fd = 0;
            return _fdNames?.TryGetValue(name, out fd) == true;
        }
        fd = fdRef.Number ?? -1;
        return fd >= 0;
    }

    private bool TryFd(FdRef fdRef, out int fd, out OfdHandle ofd)
    {
        ofd = null!;
        if (!ResolveFd(fdRef, out fd)) return false;
        if (!_fds.TryGetValue(fd, out var entry) || entry.Ofd is null) return false;
        ofd = entry.Ofd;
        return true;
    }

    private int Install(OfdHandle ofd, bool cloexec, string? name, string via, int from = 0)
    {
        var fd = LowestFreeFd(from);
        _fds[fd] = new FdEntry(ofd, cloexec);
        if (name is not null) FdNames[name] = fd;
        _trace.FdInstalled(_name, fd, ofd.Id.Value, ofd.Path, via);
        return fd;
    }

    /// <summary>Runs the syscall, locally or by sending it to the actor that owns what it touches.</summary>
    private void Dispatch(PendingCall call)
    {
        var id = call.Id;
        switch (call.Call)
        {
            case Open open:
                _kernel.Tell(new OpenPath(id, Self, _name, _pid, open.Path, open.Flags, Creds));
                call.OnReply = r =>
                {
                    if (r.Opened is { } ofd)
                    {
                        var fd = Install(ofd, (open.Flags & OpenFlags.O_CLOEXEC) != 0, open.As, "open");
                        Complete(call, SyscallResult.Ok(fd));
                    }
                    else Complete(call, r.Result);
                };
                break;

            case Close close:
            {
                if (!ResolveFd(close.Fd, out var fd) || !_fds.TryGetValue(fd, out var entry)) { Complete(call, Fail(Errno.EBADF)); break; }
                _fds.Remove(fd);
                if (entry.Ofd is null) { Complete(call, SyscallResult.Ok()); break; }
                _trace.FdClosed(_name, fd, entry.Ofd.Id.Value, "close");
                entry.Ofd.Actor.Tell(new ReleaseRef(id, Self, "close"));
                break;
            }

            case Dup dup:
            {
                if (!TryFd(dup.Fd, out _, out var ofd)) { Complete(call, Fail(Errno.EBADF)); break; }
                ofd.Actor.Tell(new AddRef("dup"));
                Complete(call, SyscallResult.Ok(Install(ofd, false, dup.As, "dup")));
                break;
            }

            case SetCloexec setfd:
            {
                if (!TryFd(setfd.Fd, out var fd, out var ofd)) { Complete(call, Fail(Errno.EBADF)); break; }
                _fds[fd] = new FdEntry(ofd, setfd.Cloexec);
                Complete(call, SyscallResult.Ok());
                break;
            }

            case SetLease setLease:
            {
                if (!TryFd(setLease.Fd, out var fd, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                if (LayoutClassOf(setLease.Arg) is { } layoutClass)
                {
                    // F_LAYOUT (16), F_LAYOUT|F_EXCLUSIVE (48): only where the policy has layout leases (RFC v1/v2 uapi).
                    ofd.Manager.Tell(new SetLeaseOn(id, Self, _name, ofd, (int)LeaseType.F_RDLCK, layoutClass, fd, call.Thread.Tid, _pid, Creds));
                    break;
                }
                if (setLease.Arg is not ((int)LeaseType.F_RDLCK or (int)LeaseType.F_WRLCK or (int)LeaseType.F_UNLCK)) { Complete(call, Fail(Errno.EINVAL)); break; }
                ofd.Manager.Tell(new SetLeaseOn(id, Self, _name, ofd, setLease.Arg, LeaseClass.Lease, fd, call.Thread.Tid, _pid, Creds));
                break;
            }

            case TakeLayoutLease layout:
            {
                if (!TryFd(layout.Fd, out var fd, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                var leaseClass = _policy.LayoutLease switch
                {
                    LayoutLeaseMapping.Shared => LeaseClass.Layout,
                    LayoutLeaseMapping.Exclusive => LeaseClass.Layout | LeaseClass.Exclusive,
                    _ => LeaseClass.None,
                };
                if (_policy.LayoutLease == LayoutLeaseMapping.Unsupported) { Complete(call, Fail(Errno.EINVAL)); break; }
                if (leaseClass == LeaseClass.None) { Complete(call, SyscallResult.Ok()); break; }
                ofd.Manager.Tell(new SetLeaseOn(id, Self, _name, ofd, (int)LeaseType.F_RDLCK, leaseClass, fd, call.Thread.Tid, _pid, Creds));
                break;
            }

            case ReleaseLayoutLease unlock:
            {
                if (!TryFd(unlock.Fd, out var fd, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                if (_policy.LayoutLease == LayoutLeaseMapping.Unsupported) { Complete(call, Fail(Errno.EINVAL)); break; }
                if (_policy.LayoutLease == LayoutLeaseMapping.NotNeeded) { Complete(call, SyscallResult.Ok()); break; }
                ofd.Manager.Tell(new SetLeaseOn(id, Self, _name, ofd, (int)LeaseType.F_UNLCK, LeaseClass.Layout, fd, call.Thread.Tid, _pid, Creds));
                break;
            }

            case OpenVerbsContext verbs:
                _kernel.Tell(new OpenVerbs(id, Self, _name, _pid));
                call.OnReply = r => Complete(call, SyscallResult.Ok(Install(r.Opened!, false, verbs.As, "ibv_open_device")));
                break;

            case RegisterRegion reg:
            {
                if (!TryFd(reg.Context, out _, out var context)) { Complete(call, Fail(Errno.EBADF)); break; }
                if (context.Type != FileType.VerbsContext) { Complete(call, Fail(Errno.EINVAL)); break; }
                var mapping = Mappings.Values.FirstOrDefault(m => m.Name == reg.Mapping);
                if (mapping is null) { Complete(call, Fail(Errno.EFAULT)); break; }
                context.Actor.Tell(new RegisterMr(id, Self, _name, _pid, mapping.Ofd, reg.Region, reg.Odp, reg.DmaPerSecond, reg.Offset, reg.Length));
                break;
            }

            case DeregisterRegion dereg:
            {
                if (!TryFd(dereg.Context, out _, out var context)) { Complete(call, Fail(Errno.EBADF)); break; }
                if (context.Type != FileType.VerbsContext) { Complete(call, Fail(Errno.EINVAL)); break; }
                context.Actor.Tell(new DeregisterMr(id, Self, _name, dereg.Region));
                break;
            }

            case PunchHole punch:
            {
                if (punch.Offset < 0 || punch.Length <= 0) { Complete(call, Fail(Errno.EINVAL)); break; }
                if (!TryFd(punch.Fd, out _, out var ofd) || ofd.IsPathOnly || !ofd.Writes) { Complete(call, Fail(Errno.EBADF)); break; }
                if (ofd.Type != FileType.Regular) { Complete(call, Fail(Errno.ENODEV)); break; }
                ofd.Manager.Tell(new TruncateInode(id, Self, _name, punch.Length, Breaks: false, _pid, punch.Offset));
                break;
            }

            case GetLease getLease:
            {
                if (!TryFd(getLease.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                ofd.Manager.Tell(new GetLeaseOn(id, Self, ofd.Id));
                break;
            }

            case SetOwn setOwn:
            {
                if (!TryFd(setOwn.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                _kernel.Tell(new ResolveOwner(id, Self, _name, ofd, OwnerKind.F_OWNER_PID, setOwn.Target, Creds));
                break;
            }

            case SetOwnEx setOwnEx:
            {
                if (!TryFd(setOwnEx.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                if (!Enum.IsDefined(setOwnEx.Kind)) { Complete(call, Fail(Errno.EINVAL)); break; }
                var target = setOwnEx.Kind == OwnerKind.F_OWNER_PGRP && !setOwnEx.Target.IsGroup
                    ? (setOwnEx.Target.Name is { } tn ? ProcessRef.GroupOf(tn) : ProcessRef.Of(-(setOwnEx.Target.Pid ?? 0)))
                    : setOwnEx.Target;
                _kernel.Tell(new ResolveOwner(id, Self, _name, ofd, setOwnEx.Kind, target, Creds));
                break;
            }

            case GetOwn getOwn:
            {
                if (!TryFd(getOwn.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                ofd.Actor.Tell(new QueryOwner(id, Self, false));
                break;
            }

            case GetOwnEx getOwnEx:
            {
                if (!TryFd(getOwnEx.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                ofd.Actor.Tell(new QueryOwner(id, Self, true));
                break;
            }

            case SetSig setSig:
            {
                if (!TryFd(setSig.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                if (setSig.Signo != 0 && !Sig.IsValid(setSig.Signo)) { Complete(call, Fail(Errno.EINVAL)); break; }
                ofd.Actor.Tell(new SetSignum(id, Self, setSig.Signo));
                break;
            }

            case GetSig getSig:
            {
                if (!TryFd(getSig.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                ofd.Actor.Tell(new QuerySignum(id, Self));
                break;
            }

            case Stat or Truncate or Unlink or Rename or Link or Chmod or Chown or Utimensat:
                _kernel.Tell(new PathOp(id, Self, _name, call.Call, Creds));
                break;

            case Ftruncate ftruncate:
            {
                // do_sys_ftruncate: a negative length is EINVAL before the fd is looked up (EBADF), then do_ftruncate
                // wants a regular file open for writing (EINVAL).
                if (ftruncate.Length < 0) { Complete(call, Fail(Errno.EINVAL)); break; }
                if (!TryFd(ftruncate.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                if (!ofd.Writes || ofd.Type != FileType.Regular) { Complete(call, Fail(Errno.EINVAL)); break; }
                ofd.Manager.Tell(new TruncateInode(id, Self, _name, ftruncate.Length, Breaks: false, _pid));
                break;
            }

            case Write write:
            {
                if (!TryFd(write.Fd, out _, out var ofd) || !ofd.Writes) { Complete(call, Fail(Errno.EBADF)); break; }
                if (ofd.Type == FileType.Directory) { Complete(call, Fail(Errno.EISDIR)); break; }
                ofd.Manager.Tell(new WriteInode(id, Self, _name, write.Bytes, _pid, ofd.Id));
                break;
            }

            case Mmap mmap:
            {
                if (!TryFd(mmap.Fd, out _, out var ofd) || ofd.IsPathOnly) { Complete(call, Fail(Errno.EBADF)); break; }
                if (ofd.Type is FileType.Directory or FileType.Socket or FileType.Pipe) { Complete(call, Fail(Errno.EACCES)); break; }
                var address = _nextAddress;
                _nextAddress += 0x100000;
                var name = mmap.As ?? address.ToString(CultureInfo.InvariantCulture);
                Mappings[address] = new Mapping(name, address, ofd);
                ofd.Actor.Tell(new AddRef("mmap"));
                _trace.Record("mmap", ("process", _name), ("mapping", name), ("ofd", ofd.Id.Value), ("shared", mmap.Shared));
                Complete(call, SyscallResult.Ok(address));
                break;
            }

            case Munmap munmap:
            {
                var mapping = Mappings.Values.FirstOrDefault(m => m.Name == munmap.Mapping || m.Address.ToString(CultureInfo.InvariantCulture) == munmap.Mapping);
                if (mapping is null) { Complete(call, Fail(Errno.EINVAL)); break; }
                Mappings.Remove(mapping.Address);
                _trace.Record("munmap", ("process", _name), ("mapping", mapping.Name), ("ofd", mapping.Ofd.Id.Value));
                mapping.Ofd.Actor.Tell(new ReleaseRef(id, Self, "munmap"));
                break;
            }

            case SocketPair pair:
                _kernel.Tell(new CreateSocketPair(id, Self, _name));
                call.OnReply = r =>
                {
                    var fd0 = Install(r.Received[0], false, pair.As0, "socketpair");
                    var fd1 = Install(r.Received[1], false, pair.As1, "socketpair");
                    Complete(call, SyscallResult.OkMany(fd0, fd1));
                };
                break;

            case SendMsg send:
            {
                if (!TryFd(send.Socket, out _, out var socket)) { Complete(call, Fail(Errno.EBADF)); break; }
                if (socket.Type != FileType.Socket) { Complete(call, Fail(Errno.ENOTSOCK)); break; }
                var carried = ImmutableArray.CreateBuilder<OfdHandle>();
                foreach (var fdRef in send.Fds)
                {
                    if (!TryFd(fdRef, out _, out var ofd)) { Complete(call, Fail(Errno.EBADF)); return; }
                    carried.Add(ofd);
                }
                var ofds = carried.ToImmutable();
                var queried = _policy.DenyPassOfPinned ? ofds.Where(o => o.Type is FileType.Regular or FileType.VerbsContext).ToList() : [];
                if (queried.Count == 0)
                {
                    Send(call, socket, ofds);
                    break;
                }
                // deny-pass: ask each carried description whether it carries pins before anything is in flight.
                var answers = 0;
                var pinned = false;
                call.OnReply = r =>
                {
                    pinned |= r.Result.Value != 0;
                    if (++answers < queried.Count) return;
                    call.OnReply = null;
                    if (!pinned)
                    {
                        Send(call, socket, ofds);
                        return;
                    }
                    foreach (var o in queried) _trace.PassRefused(_name, o.Id.Value, _policy.PassRefusal);
                    Complete(call, Fail(_policy.PassRefusal));
                };
                foreach (var o in queried) o.Manager.Tell(new QueryPinned(id, Self, o.Id));
                break;
            }

            case RecvMsg recv:
            {
                if (!TryFd(recv.Socket, out _, out var socket)) { Complete(call, Fail(Errno.EBADF)); break; }
                if (socket.Type != FileType.Socket) { Complete(call, Fail(Errno.ENOTSOCK)); break; }
                socket.Manager.Tell(new SocketReceive(id, Self, _name, socket.SocketEnd));
                call.OnReply = r =>
                {
                    var received = r.Received.IsDefault ? [] : r.Received;
                    var fds = new long[received.Length];
                    for (var i = 0; i < received.Length; i++)
                        fds[i] = Install(received[i], false, i < recv.As.Length ? recv.As[i] : null, "scm_rights");
                    Complete(call, received.Length == 0 ? SyscallResult.Ok(0) : SyscallResult.OkMany(fds));
                };
                break;
            }

            case WriteSysctl sysctl:
                _kernel.Tell(new WriteSysctlOn(id, Self, _name, sysctl.Entry, sysctl.Value, Creds));
                break;

            case Kill kill:
                _kernel.Tell(new SendKill(id, Self, _name, _pid, Creds, kill.Target, kill.Signo));
                break;

            case Setpgid setpgid:
                _kernel.Tell(new ChangePgid(id, Self, _pid, setpgid.Leader));
                call.OnReply = r =>
                {
                    if (r.Result.Succeeded) _pgid = (int)r.Result.Value;
                    Complete(call, r.Result.Succeeded ? SyscallResult.Ok() : r.Result);
                };
                break;

            case Setuid setuid:
                if (Creds.Euid != 0 && setuid.Uid != Creds.Uid) { Complete(call, Fail(Errno.EPERM)); break; }
                ChangeCredentials(Creds with { Uid = setuid.Uid, Euid = setuid.Uid, Suid = setuid.Uid, Fsuid = setuid.Uid, CapLease = setuid.Uid == 0 && Creds.CapLease });
                Complete(call, SyscallResult.Ok());
                break;

            case Setfsuid setfsuid:
            {
                var previous = Creds.Fsuid;
                if (Creds.Euid == 0 || setfsuid.Uid == Creds.Uid || setfsuid.Uid == Creds.Euid || setfsuid.Uid == Creds.Suid)
                    ChangeCredentials(Creds with { Fsuid = setfsuid.Uid });
                Complete(call, SyscallResult.Ok(previous)); // setfsuid returns the previous fsuid
                break;
            }

            case SetCapLease cap:
                if (cap.Granted && Creds.Euid != 0) { Complete(call, Fail(Errno.EPERM)); break; }
                ChangeCredentials(Creds with { CapLease = cap.Granted });
                Complete(call, SyscallResult.Ok());
                break;

            case Sigaction sigaction:
                Complete(call, SetAction(sigaction.Signo, sigaction.Action));
                break;

            case Sigprocmask mask:
                Complete(call, ChangeMask(mask.How, mask.Signals));
                break;

            case Fork fork:
            {
                foreach (var entry in _fds.Values)
                    entry.Ofd?.Actor.Tell(new AddRef("fork"));
                foreach (var mapping in Mappings.Values) mapping.Ofd.Actor.Tell(new AddRef("fork mapping"));
                var image = new ProcessImage(Creds, _pgid,
                    [.. _fds.Where(kv => kv.Value.Ofd is not null).Select(kv => (kv.Key, kv.Value.Ofd!, kv.Value.Cloexec))],
                    FdNames.ToImmutableDictionary(),
                    [.. Mappings.Values.Select(m => (m.Name, m.Address, m.Ofd))],
                    Actions.ToImmutableDictionary(), [.. BlockedSet]);
                _kernel.Tell(new ForkProcess(id, Self, _name, fork.ChildName, fork.ChildProgram, image));
                break;
            }

            case SpawnThread spawn:
                _kernel.Tell(new NewThread(id, Self, _name, _pid, spawn.ThreadName));
                call.OnReply = r =>
                {
                    var tid = (int)r.Result.Value;
                    var thread = new ThreadState(_name + "." + spawn.ThreadName, tid, spawn.Program);
                    _threads = [.. _threads, thread];
                    _trace.ThreadCreated(_name, thread.Name, tid);
                    ScheduleContinue(thread);
                    Complete(call, SyscallResult.Ok(tid));
                };
                break;

            case ExitThread:
                Calls.Remove(id);
                call.Thread.Current = null;
                _trace.SyscallExit(_name, call.Thread.Name, id, call.Call.Name, call.Label, 0, Errno.None, call.EnteredTicks / TimeSpan.TicksPerMicrosecond);
                if (call.Source == CallSource.External) call.ReplyTo?.Tell(new Process.Executed(call.Call, SyscallResult.Ok(), call.RequestId));
                EndThread(call.Thread);
                break;

            case Execve execve:
                DoExecve(call, execve);
                break;

            case Exit exit:
                Calls.Remove(id);
                call.Thread.Current = null;
                if (call.Source == CallSource.External) AnswerAtExit(call.ReplyTo, call.Call, call.RequestId); // exit never returns
                BeginExit(exit.Status & 0xff, null);
                break;

            default:
                Complete(call, Fail(Errno.ENOSYS));
                break;
        }
    }

    private void Send(PendingCall call, OfdHandle socket, ImmutableArray<OfdHandle> ofds)
    {
        foreach (var ofd in ofds) ofd.Actor.Tell(new AddRef("scm_rights in flight"));
        socket.Manager.Tell(new SocketSend(call.Id, Self, _name, socket.SocketEnd, ofds));
    }

    /// <summary>The layout-lease class of a raw <c>F_SETLEASE</c> argument, where the policy has such leases; null otherwise.</summary>
    private LeaseClass? LayoutClassOf(int arg) => (arg, _policy.LayoutLease) switch
    {
        (LeaseList.LayoutArg, LayoutLeaseMapping.Shared or LayoutLeaseMapping.Exclusive) => LeaseClass.Layout,
        (LeaseList.LayoutArg | LeaseList.ExclusiveArg, LayoutLeaseMapping.Exclusive) => LeaseClass.Layout | LeaseClass.Exclusive,
        _ => null,
    };

    private void ChangeCredentials(Creds creds)
    {
        _creds = creds;
        _kernel.Tell(new ChangeCreds(_pid, creds));
    }

    private void EndThread(ThreadState thread)
    {
        thread.Alive = false;
        _trace.ThreadExited(_name, thread.Name, thread.Tid);
        _kernel.Tell(new ThreadGone(_pid, thread.Tid));
        // External calls queued on this thread move to a living one (or are answered ESRCH by the exit below).
        if (Array.Find(_threads, t => t.Alive) is { } heir)
        {
            while (thread.TryDequeueExternal(out var request)) heir.EnqueueExternal(request);
            ScheduleContinue(heir);
        }
        if (Array.TrueForAll(_threads, t => !t.Alive)) BeginExit(0, null);
    }

    private static string Describe(Syscall call) => call switch
    {
        Open o => $"{o.Path} {o.Flags}" + (o.As is null ? "" : $" as {o.As}"),
        Close c => c.Fd.ToString(),
        Dup d => d.Fd.ToString(),
        SetLease s => $"{s.Fd} {(s.Arg is >= 0 and <= 2 ? ((LeaseType)s.Arg).ToString() : s.Arg.ToString(CultureInfo.InvariantCulture))}",
        GetLease g => g.Fd.ToString(),
        SetOwn s => $"{s.Fd} {s.Target?.ToString() ?? "0"}",
        SetOwnEx s => $"{s.Fd} {s.Kind} {s.Target}",
        GetOwn g => g.Fd.ToString(),
        GetOwnEx g => g.Fd.ToString(),
        SetSig s => $"{s.Fd} {Sig.Name(s.Signo)}",
        GetSig g => g.Fd.ToString(),
        Truncate t => $"{t.Path} {t.Length}",
        Ftruncate f => $"{f.Fd} {f.Length}",
        Stat s => s.Path,
        Write w => $"{w.Fd} {w.Bytes}",
        SendMsg s => $"{s.Socket} [{string.Join(",", s.Fds)}]",
        RecvMsg r => $"{r.Socket}",
        Kill k => $"{k.Target} {Sig.Name(k.Signo)}",
        WriteSysctl w => $"{w.Entry} {w.Value}",
        Sigaction a => $"{Sig.Name(a.Signo)} {a.Action.GetType().Name}",
        Sigprocmask m => $"{m.How} [{string.Join(",", m.Signals.Select(Sig.Name))}]",
        Fork f => f.ChildName,
        Exit e => e.Status.ToString(CultureInfo.InvariantCulture),
        Mmap m => $"{m.Fd}" + (m.As is null ? "" : $" as {m.As}"),
        Munmap m => m.Mapping,
        OpenVerbsContext v => v.As is null ? "" : "as " + v.As,
        TakeLayoutLease l => l.Fd.ToString(),
        ReleaseLayoutLease l => l.Fd.ToString(),
        RegisterRegion r => $"{r.Context} {r.Mapping} as {r.Region}" + (r.Odp ? " odp" : ""),
        DeregisterRegion d => $"{d.Context} {d.Region}",
        PunchHole p => $"{p.Fd} {p.Offset} {p.Length}",
        _ => "",
    };
}
