using Akka.Actor;
using Akka.Cluster;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Tracing;

namespace LeaseActors.Cluster.Sharding;

/// <summary>
/// Hosts a kernel's objects as Cluster.Sharding entities: a process in the process region under
/// "&lt;kernel&gt;.p&lt;pid&gt;", an inode's lease manager in the inode region under "&lt;kernel&gt;.i&lt;inode&gt;", a
/// description in the description region under "&lt;kernel&gt;.o&lt;id&gt;". The shard id is the address of the node
/// that should host it: processes are spread over the cluster's members (round robin, or the kernel's placement
/// function); inodes and descriptions stay on the kernel's home node. The creator gets an
/// <see cref="EntityProxyActor"/> child that reaches the entity through its region.
/// </summary>
internal sealed class ClusterHosting(NodeKernel kernel, Func<string, IReadOnlyList<Address>, Address>? placeProcess) : KernelHosting
{
    private int _placed;

    public override IActorRef Host(IActorContext context, string actorName, HostedSpec spec, KernelOptions options, KernelTrace trace)
    {
        var (kind, entityId) = Identify(kernel.Context.Name, spec);
        var shard = spec is ProcessSpec process ? PlaceProcess(process) : kernel.Context.Home;
        kernel.Placements[entityId] = (shard, null);
        return context.ActorOf(EntityProxyActor.Props(kernel, kind, entityId, shard, new HostEntity(spec, kernel.Context)), actorName);
    }

    /// <summary>The region and entity id of a kernel object.</summary>
    internal static (EntityKind Kind, string EntityId) Identify(string kernelName, HostedSpec spec) => spec switch
    {
        ProcessSpec p => (EntityKind.Process, ProcessEntity(kernelName, p.Pid)),
        InodeSpec i => (EntityKind.Inode, kernelName + ".i" + i.Inode.Value),
        DescriptionSpec d => (EntityKind.Description, DescriptionEntity(kernelName, d.Id.Value)),
        VerbsSpec v => (EntityKind.Description, DescriptionEntity(kernelName, v.Id.Value)),
        _ => throw new ArgumentException("unknown kernel object " + spec.GetType().Name, nameof(spec)),
    };

    internal static string ProcessEntity(string kernelName, int pid) => kernelName + ".p" + pid;

    internal static string DescriptionEntity(string kernelName, long ofd) => kernelName + ".o" + ofd;

    private string PlaceProcess(ProcessSpec process)
    {
        var members = Akka.Cluster.Cluster.Get(kernel.Node.System).State.Members
            .Where(m => m.Status == MemberStatus.Up)
            .Select(m => m.Address)
            .OrderBy(a => a.ToString(), StringComparer.Ordinal)
            .ToList();
        if (members.Count == 0) return kernel.Context.Home;
        var chosen = placeProcess?.Invoke(process.Name, members) ?? members[_placed++ % members.Count];
        return chosen.ToString();
    }

    /// <summary>The region of <paramref name="kind"/> on this node.</summary>
    internal IActorRef Region(EntityKind kind) => kind switch
    {
        EntityKind.Process => kernel.Node.Processes,
        EntityKind.Inode => kernel.Node.Inodes,
        _ => kernel.Node.Descriptions,
    };
}

/// <summary>The three kinds of sharded kernel objects.</summary>
internal enum EntityKind { Process, Inode, Description }
