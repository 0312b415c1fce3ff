using Akka.Actor;
using LeaseActors.Kernel.Internal;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Cluster.Sharding;

/// <summary>
/// Stands for a sharded kernel object on the node of the actor that created it, under the name the object would have
/// had as a child there: it sends the entity its <see cref="HostEntity"/>, then passes every message on through the
/// object's shard region (one path, so one sender's messages keep their order), with the original sender. It watches
/// the object once hosted. When a process's object terminates without being stopped by its kernel (its node went down),
/// the proxy runs that process's exit on its behalf, as <c>do_exit</c> would: it drops the references the process
/// held (its fds and mappings, read from the kernel's trace), runs the final releases of the descriptions that lost
/// their last reference (so their leases and pins go), and reports the process gone to the kernel, which then answers
/// kill and F_SETOWN of its pid with ESRCH. From then on a syscall sent to it is answered with ESRCH.
/// </summary>
internal sealed class EntityProxyActor : ReceiveActor
{
    private readonly NodeKernel _kernel;
    private readonly EntityKind _kind;
    private readonly string _entityId;
    private readonly string _shard;
    private readonly HostEntity _host;
    private readonly IActorRef _region;
    private IActorRef? _object;
    private bool _lost;
    private long _nextCall = 1;
    private readonly Dictionary<long, Action<SyscallResult>> _acks = [];

    public EntityProxyActor(NodeKernel kernel, EntityKind kind, string entityId, string shard, HostEntity host)
    {
        _kernel = kernel;
        _kind = kind;
        _entityId = entityId;
        _shard = shard;
        _host = host;
        _region = kernel.Hosting.Region(kind);
        Receive<EntityHosted>(m =>
        {
            _object = m.Actor;
            Context.Watch(m.Actor);
            var address = m.Actor.Path.Address.HasLocalScope ? _kernel.Node.Address : m.Actor.Path.Address;
            _kernel.Placements[_entityId] = (_shard, address);
        });
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_object)) return;
            if (_kind == EntityKind.Process && _host.Spec is ProcessSpec process) ExitOnBehalf(process);
            else
            {
                _lost = true;
                Context.Stop(Self);
            }
        });
        Receive<Reply>(m => _acks.ContainsKey(m.CallId) && _lost, m =>
        {
            var ack = _acks[m.CallId];
            _acks.Remove(m.CallId);
            ack(m.Result);
        });
        Receive<Process.Execute>(_ => _lost, m => Sender.Tell(new Process.Executed(m.Call, SyscallResult.Fail(Errno.ESRCH), m.RequestId)));
        ReceiveAny(m =>
        {
            if (_lost) return; // the object is gone: signals and replies for it go nowhere, as they would to an exited process
            _region.Tell(new EntityEnvelope(_entityId, _shard, _host.Kernel.Incarnation, m), Sender);
        });
    }

    protected override void PreStart() => _region.Tell(new EntityEnvelope(_entityId, _shard, _host.Kernel.Incarnation, _host), Self);

    protected override void PostStop()
    {
        if (!_lost) _region.Tell(new EntityEnvelope(_entityId, _shard, _host.Kernel.Incarnation, new StopEntity()));
    }

    /// <summary>do_exit for a process lost with its node (docs/cluster.md): drop every reference it held, then the final releases, then report it gone.</summary>
    private void ExitOnBehalf(ProcessSpec process)
    {
        _lost = true;
        var trace = _kernel.Trace;
        trace.Record("process.lost", ("process", process.Name), ("pid", process.Pid), ("node", _kernel.Placements.TryGetValue(_entityId, out var p) ? p.Node?.ToString() : null));
        var collector = _kernel.Collector;
        var releases = new List<(string What, long Ofd, long Fd)>();
        if (collector is not null)
        {
            var (fds, mapped) = collector.HoldingsOf(process.Name, collector.KnownDescriptions());
            releases.AddRange(mapped.Select(o => ("munmap (node down)", o, -1L)));
            releases.AddRange(fds.Select(f => ("close " + f.Fd + " (node down)", f.Ofd, f.Fd)));
        }
        var finals = new List<long>();
        void Drop(int index)
        {
            if (index >= releases.Count)
            {
                Final(0);
                return;
            }
            var (what, ofd, fd) = releases[index];
            if (fd >= 0) trace.FdClosed(process.Name, (int)fd, ofd, "node-down");
            Send(ofd, id => new ReleaseRef(id, Self, what, DeferFinal: true), result =>
            {
                if (result.Value == 1) finals.Add(ofd);
                Drop(index + 1);
            });
        }
        void Final(int index)
        {
            if (index >= finals.Count)
            {
                process.Kernel.Tell(new ProcessGone(process.Pid, 0, Sig.SIGKILL));
                return;
            }
            Send(finals[index], id => new RunFinalRelease(id, Self), _ => Final(index + 1));
        }
        Drop(0);
    }

    private void Send(long ofd, Func<long, object> message, Action<SyscallResult> then)
    {
        var id = _nextCall++;
        _acks[id] = then;
        var entity = ClusterHosting.DescriptionEntity(_host.Kernel.Name, ofd);
        var shard = _kernel.Placements.TryGetValue(entity, out var placed) ? placed.Shard : _host.Kernel.Home;
        _kernel.Node.Descriptions.Tell(new EntityEnvelope(entity, shard, _host.Kernel.Incarnation, message(id)), Self);
    }

    public static Props Props(NodeKernel kernel, EntityKind kind, string entityId, string shard, HostEntity host) =>
        Akka.Actor.Props.Create(() => new EntityProxyActor(kernel, kind, entityId, shard, host));
}
