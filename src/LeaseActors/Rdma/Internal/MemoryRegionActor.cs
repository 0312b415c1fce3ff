using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Internal;
using LeaseActors.Kernel.Internal;
using LeaseActors.Tracing;

namespace LeaseActors.Rdma.Internal;

/// <summary>
/// A registered RDMA memory region (<c>struct ib_mr</c>), child of its <see cref="VerbsContextActor"/>. Owns the
/// blocks it pins (nothing for an on-demand-paging region) and its DMA rate: from registration until it is stopped
/// (teardown) the device writes into those blocks at that rate. DMA costs no message per write: the monitors
/// count writes over time intervals from the registration and teardown events. An ODP region accepts
/// <see cref="InvalidateRegion"/> (the device mapping follows the invalidation and faults on next access).
/// </summary>
internal sealed class MemoryRegionActor : MessageActor
{
    private readonly long _id;
    private readonly string _name;
    private readonly KernelTrace _trace;
    private readonly bool _odp;

    public MemoryRegionActor(long id, string name, BlockSet blocks, bool odp, double dmaPerSecond, KernelTrace trace)
    {
        _id = id;
        _name = name;
        _odp = odp;
        _trace = trace;
        Blocks = blocks;
        DmaPerSecond = dmaPerSecond;
        Receive<InvalidateRegion>(m =>
        {
            if (_odp) _trace.RegionInvalidated(_name, _id, m.Blocks.Count);
        });
    }

    /// <summary>The blocks the device writes into (pinned unless ODP).</summary>
    public BlockSet Blocks { get; }

    /// <summary>DMA writes per second while registered.</summary>
    public double DmaPerSecond { get; }

    public static Props Props(long id, string name, BlockSet blocks, bool odp, double dmaPerSecond, KernelTrace trace) =>
        PropsOf.Create(() => new MemoryRegionActor(id, name, blocks, odp, dmaPerSecond, trace));
}
