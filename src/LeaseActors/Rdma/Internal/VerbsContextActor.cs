using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Files.Internal;
using LeaseActors.Internal;
using LeaseActors.Kernel.Internal;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Tracing;

namespace LeaseActors.Rdma.Internal;

/// <summary>
/// An RDMA device context (<c>struct ib_uverbs_file</c> behind <c>/dev/infiniband/uverbs0</c>). It is itself an open
/// file description, so it is counted like one (fds in any process, SCM_RIGHTS messages in flight) and can be passed
/// over a socket; when its last reference goes, every memory region it owns is torn down (<c>ib_uverbs_close</c>
/// → <c>ib_dereg_mr</c>), then it is gone. Owns its reference count and its regions (children
/// <see cref="MemoryRegionActor"/>, by name). Accepts <see cref="AddRef"/>/<see cref="ReleaseRef"/>,
/// <see cref="RegisterMr"/> (asks the data file's lease manager to pin with <see cref="PinRange"/>, then answers the
/// process), <see cref="DeregisterMr"/>, <see cref="QueryPinned"/>, <see cref="InvalidateRegion"/>, and answers the
/// calls every description answers (no lease, no owner).
/// </summary>
internal sealed class VerbsContextActor : DescriptionActor, IWithTimers
{
    private const string DevicePath = "/dev/infiniband/uverbs0";
    private readonly Dictionary<string, Region> _regions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _registering = new(StringComparer.Ordinal);
    private long _nextRegion;

    private sealed record Region(long Id, string Name, IActorRef Actor, OfdHandle Data);

    private readonly Chaos.ChaosInjector _chaos;

    private sealed record DrainedDma(DeregisterMr Request, Region Region);

    public VerbsContextActor(OfdId id, KernelTrace trace, Chaos.ChaosInjector chaos) : base(id, trace)
    {
        _chaos = chaos;

        Receive<RegisterMr>(OnRegister);
        Receive<Pinned>(OnPinned);
        Receive<PinRefused>(m =>
        {
            _registering.Remove(m.Region);
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(m.Errno)));
        });
        Receive<DeregisterMr>(m =>
        {
            if (!_regions.Remove(m.Region, out var region))
            {
                m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL)));
                return;
            }
            // ibv_dereg_mr: the device stops (after draining in-flight DMA: the chaos point `dma`), then the pages
            // are unpinned; the call returns once they are.
            var drain = _chaos.Delay(Chaos.ChaosPoint.Dma, m.Process, null, null, "ibv_dereg_mr " + m.Region);
            if (drain > TimeSpan.Zero) Trace.Clock.StartTimer(Timers, "drain-" + region.Id, new DrainedDma(m, region), drain);
            else Deregister(m, region);
        });
        Receive<DrainedDma>(d => Deregister(d.Request, d.Region));
        Receive<QueryPinned>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(_regions.Count > 0 ? 1 : 0))));
        Receive<InvalidateRegion>(m =>
        {
            var region = _regions.Values.FirstOrDefault(r => r.Id == m.RegionId);
            region?.Actor.Tell(m);
        });

        // A context is not a regular file: no lease, no size, no truncate; fcntl owner calls succeed and do nothing.
        Receive<SetLeaseOn>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL))));
        Receive<GetLeaseOn>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok((int)LeaseType.F_UNLCK))));
        Receive<WriteInode>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL))));
        Receive<TruncateInode>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL))));
        Receive<StatInode>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(0))));
        Receive<SetOwner>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok())));
        Receive<QueryOwner>(m => m.ReplyTo.Tell(new Reply(m.CallId, m.Extended ? SyscallResult.OkMany(0, 0) : SyscallResult.Ok(0))));
        Receive<SetSignum>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok())));
        Receive<QuerySignum>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(0))));
        Receive<BreakNotify>(m => Sender.Tell(new NotifyDone(m.Token)));
        Receive<LeaseGone>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(OfdId id, KernelTrace trace, Chaos.ChaosInjector chaos) => PropsOf.Create(() => new VerbsContextActor(id, trace, chaos));

    private static void Deregister(DeregisterMr m, Region region)
    {
        Context.Stop(region.Actor);
        region.Data.Manager.Tell(new Unpin(region.Id, m.CallId, m.ReplyTo, m.Process, "ibv_dereg_mr"));
    }

    private void OnRegister(RegisterMr m)
    {
        if (_regions.ContainsKey(m.Region) || !_registering.Add(m.Region))
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EEXIST)));
            return;
        }
        var id = Id.Value * 1000 + ++_nextRegion;
        m.Data.Manager.Tell(new PinRange(m.CallId, m.ReplyTo, m.Process, m.Pid, id, m.Region, Id, Self, m.Data.Id, m.Odp, m.DmaPerSecond, m.Offset, m.Length));
    }

    private void OnPinned(Pinned m)
    {
        _registering.Remove(m.Region);
        if (Released)
        {
            // The context went while the pin was being made: undo it.
            m.Data.Manager.Tell(new Unpin(m.RegionId, 0, null, m.Process, "context closed"));
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EBADF)));
            return;
        }
        var actor = Context.ActorOf(MemoryRegionActor.Props(m.RegionId, m.Region, m.Blocks, m.Odp, m.DmaPerSecond, Trace), "mr-" + m.RegionId);
        _regions[m.Region] = new Region(m.RegionId, m.Region, actor, m.Data);
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(m.RegionId)));
    }

    protected override void FinalRelease(long callId, IActorRef? replyTo)
    {
        // ib_uverbs_close: every region is deregistered; the closer's call returns once the pins are released
        // (the last Unpin carries its answer; lease managers answer in the order they are told).
        Trace.OfdReleased(Id.Value, DevicePath);
        var regions = _regions.Values.OrderBy(r => r.Id).ToList();
        _regions.Clear();
        for (var i = 0; i < regions.Count; i++)
        {
            Context.Stop(regions[i].Actor);
            var last = i == regions.Count - 1;
            regions[i].Data.Manager.Tell(new Unpin(regions[i].Id, last ? callId : 0, last ? replyTo : null, "", "context closed"));
        }
        if (regions.Count == 0) replyTo?.Tell(new Reply(callId, SyscallResult.Ok()));
        Context.Stop(Self);
    }
}
