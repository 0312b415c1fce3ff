using LeaseActors.Internal;
using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Files.Internal;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Tracing;

namespace LeaseActors.Sockets.Internal;

/// <summary>
/// A unix socket pair. Owns both ends' receive queues, each message with the descriptions it carries (each an
/// in-flight reference, SCM_RIGHTS), and the receivers waiting on an empty queue. Its two ends are open file
/// descriptions (children); when an end's last reference goes, the messages queued for it are dropped and their
/// references released, so a lease whose last reference was in flight goes at once (SEMANTICS §5, case D17).
/// </summary>
internal sealed class UnixSocketActor : MessageActor, IWithTimers
{
    private readonly string _name;
    private readonly KernelTrace _trace;
    private readonly OfdHandle[] _ends = new OfdHandle[2];
    private readonly bool[] _open = [true, true];
    private readonly Queue<ImmutableArray<OfdHandle>>[] _queues = [new(), new()];
    private readonly List<SocketReceive>[] _receivers = [[], []];

    /// <summary>Installs end 0 in process A and end 1 in process B, both named <paramref name="Name"/>; answered with <see cref="EndsInstalled"/>.</summary>
    internal sealed record InstallEnds(string Name, IActorRef A, IActorRef B);

    /// <summary>Both ends' <see cref="InstallFd"/> messages are in the processes' mailboxes.</summary>
    internal sealed record EndsInstalled(string Name);

    private readonly Chaos.ChaosInjector _chaos;
    private long _delayed;

    /// <summary>A message whose transfer the chaos plan delayed, arriving now at <paramref name="Peer"/>'s queue.</summary>
    private sealed record Arrive(long Id, int Peer);

    private readonly Dictionary<long, ImmutableArray<OfdHandle>> _inTransit = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public UnixSocketActor(string name, OfdId ofd0, OfdId ofd1, IActorRef kernel, KernelTrace trace, Chaos.ChaosInjector chaos, KernelOptions? options = null, KernelHosting? hosting = null)
    {
        hosting ??= KernelHosting.Local;
        options ??= new KernelOptions();
        _chaos = chaos;
        _name = name;
        _trace = trace;
        for (var end = 0; end < 2; end++)
        {
            var id = end == 0 ? ofd0 : ofd1;
            var path = $"socket:[{name}.{end}]";
            var actor = hosting.Host(Context, "end-" + end, new DescriptionSpec(id, path, kernel, Self), options, trace);
            _ends[end] = new OfdHandle(id, actor, new InodeId(0), Self, path, FileType.Socket, OpenFlags.O_RDWR, end);
        }

        Receive<InstallEnds>(m =>
        {
            m.A.Tell(new InstallFd(m.Name, _ends[0]));
            m.B.Tell(new InstallFd(m.Name, _ends[1]));
            Sender.Tell(new EndsInstalled(m.Name));
        });
        Receive<CreateSocketPair>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(), Received: [_ends[0], _ends[1]])));
        Receive<SocketSend>(OnSend);
        Receive<Arrive>(m =>
        {
            if (_inTransit.Remove(m.Id, out var ofds)) Deliver(m.Peer, ofds);
        });
        Receive<SocketReceive>(OnReceive);
        Receive<CancelWait>(m =>
        {
            var removed = false;
            foreach (var list in _receivers) removed |= list.RemoveAll(r => r.CallId == m.CallId && r.ReplyTo.Equals(m.ReplyTo)) > 0;
            m.ReplyTo.Tell(new WaitCancelled(m.CallId, removed));
        });
        Receive<FileReleased>(OnEndReleased);
        // A socket is not a regular file: it takes no lease (generic_setlease: EINVAL) and reports none.
        Receive<SetLeaseOn>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL))));
        Receive<GetLeaseOn>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok((int)LeaseType.F_UNLCK))));
        Receive<WriteInode>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(m.Bytes))));
        Receive<TruncateInode>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL))));
        Receive<StatInode>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(0))));
    }

    public static Props Props(string name, OfdId ofd0, OfdId ofd1, IActorRef kernel, KernelTrace trace, Chaos.ChaosInjector chaos, KernelOptions? options = null, KernelHosting? hosting = null) =>
        PropsOf.Create(() => new UnixSocketActor(name, ofd0, ofd1, kernel, trace, chaos, options, hosting));

    private void OnSend(SocketSend m)
    {
        var peer = 1 - m.End;
        if (!_open[peer])
        {
            foreach (var ofd in m.Ofds) ofd.Actor.Tell(new ReleaseRef(0, null, "scm_rights dropped"));
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EPIPE)));
            return;
        }
        _trace.SocketSent(_name, m.Process, m.End, m.Ofds.Length);
        var transfer = _chaos.Delay(Chaos.ChaosPoint.Socket, m.Process, null, null, "sendmsg on " + _name);
        if (transfer > TimeSpan.Zero)
        {
            _inTransit[++_delayed] = m.Ofds;
            _trace.Clock.StartTimer(Timers, "arrive-" + _delayed, new Arrive(_delayed, peer), transfer);
        }
        else Deliver(peer, m.Ofds);
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
    }

    /// <summary>The message reaches <paramref name="peer"/>'s end: a waiting receiver gets it, else it is queued (dropped if that end is gone).</summary>
    private void Deliver(int peer, ImmutableArray<OfdHandle> ofds)
    {
        if (!_open[peer])
        {
            foreach (var ofd in ofds) ofd.Actor.Tell(new ReleaseRef(0, null, "scm_rights dropped"));
            _trace.SocketDropped(_name, 1);
            return;
        }
        if (_receivers[peer].Count > 0)
        {
            var receiver = _receivers[peer][0];
            _receivers[peer].RemoveAt(0);
            receiver.ReplyTo.Tell(new Reply(receiver.CallId, SyscallResult.Ok(ofds.Length), Received: ofds));
        }
        else
        {
            _queues[peer].Enqueue(ofds);
        }
    }

    private void OnReceive(SocketReceive m)
    {
        if (_queues[m.End].TryDequeue(out var ofds))
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(ofds.Length), Received: ofds));
            return;
        }
        if (!_open[1 - m.End])
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(0), Received: []));
            return;
        }
        _receivers[m.End].Add(m);
        m.ReplyTo.Tell(new Blocked(m.CallId));
    }

    private void OnEndReleased(FileReleased m)
    {
        var end = _ends[0].Id == m.Ofd ? 0 : 1;
        _open[end] = false;
        var dropped = _queues[end].Count;
        while (_queues[end].TryDequeue(out var ofds))
            foreach (var ofd in ofds) ofd.Actor.Tell(new ReleaseRef(0, null, "scm_rights dropped"));
        if (dropped > 0) _trace.SocketDropped(_name, dropped);
        // receivers on the other end see end-of-file
        foreach (var r in _receivers[1 - end]) r.ReplyTo.Tell(new Reply(r.CallId, SyscallResult.Ok(0), Received: []));
        _receivers[1 - end].Clear();
        m.ReplyTo?.Tell(new Reply(m.CallId, SyscallResult.Ok()));
        if (!_open[0] && !_open[1])
        {
            // Messages still in transit go with the socket: their references are released.
            foreach (var ofds in _inTransit.Values)
                foreach (var ofd in ofds) ofd.Actor.Tell(new ReleaseRef(0, null, "scm_rights dropped"));
            _inTransit.Clear();
            Context.Stop(Self);
        }
    }
}
