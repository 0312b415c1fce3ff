using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Files.Internal;
using LeaseActors.Leases.Internal;
using LeaseActors.Processes;
using LeaseActors.Processes.Internal;
using LeaseActors.Rdma.Internal;
using LeaseActors.Tracing;

namespace LeaseActors.Kernel.Internal;

/// <summary>
/// What a kernel object is made from, as data: everything its actor's constructor needs except what every node of a
/// kernel shares (its options, its trace, its hosting). A hosting that runs the object elsewhere (a cluster node)
/// sends this and builds the actor there with <see cref="Props"/>.
/// </summary>
internal abstract record HostedSpec
{
    /// <summary>The actor of this object, on the node whose <paramref name="trace"/>, <paramref name="options"/> and <paramref name="hosting"/> are given.</summary>
    public abstract Props Props(KernelOptions options, KernelTrace trace, KernelHosting hosting);
}

/// <summary>A process (<see cref="ProcessActor"/>).</summary>
internal sealed record ProcessSpec(string Name, int Pid, IActorRef Kernel, ProcessImage Image, ImmutableArray<Step> Program, bool ExitAtEnd, ulong Seed) : HostedSpec
{
    /// <summary>
    /// The kernel's settings object shared by all its processes on the node that made the spec (not sent to other
    /// nodes: it is internal, so the serializer skips it, and there the process gets settings of that node's own).
    /// </summary>
    internal ProcessActor.Settings? Shared { get; init; }

    public override Props Props(KernelOptions options, KernelTrace trace, KernelHosting hosting) =>
        ProcessActor.Props(Name, Pid, Image, Program, ExitAtEnd, Seed,
            Shared ?? new ProcessActor.Settings(Kernel, options.HandlerFault, options.SigPendingLimit, trace, options.Policy, options.Chaos));
}

/// <summary>An inode's lease manager (<see cref="LeaseManagerActor"/>).</summary>
internal sealed record InodeSpec(InodeId Inode, string Path, FileType Type, int OwnerUid, long Size, Sysctls Sysctls, bool Dax, BlockSet Blocks, IActorRef Kernel) : HostedSpec
{
    public override Props Props(KernelOptions options, KernelTrace trace, KernelHosting hosting) =>
        LeaseManagerActor.Props(Inode, Path, Type, OwnerUid, Size, Sysctls, trace, options.Policy, Dax, Blocks, Kernel, hosting);
}

/// <summary>An open file description of a file or a socket end (<see cref="OpenFileActor"/>).</summary>
internal sealed record DescriptionSpec(OfdId Id, string Path, IActorRef Kernel, IActorRef ReleaseTarget) : HostedSpec
{
    public override Props Props(KernelOptions options, KernelTrace trace, KernelHosting hosting) =>
        OpenFileActor.Props(Id, Path, Kernel, ReleaseTarget, trace);
}

/// <summary>An RDMA device context (<see cref="VerbsContextActor"/>).</summary>
internal sealed record VerbsSpec(OfdId Id, string ChaosName) : HostedSpec
{
    public override Props Props(KernelOptions options, KernelTrace trace, KernelHosting hosting) =>
        VerbsContextActor.Props(Id, trace, new Chaos.ChaosInjector(options.Chaos, ChaosName, trace));
}

/// <summary>
/// Where a kernel's objects run. The default creates each as a child of the actor that makes it (one machine, the
/// simulation's and real time's only shape); LeaseActors.Cluster hosts them as Cluster.Sharding entities on other
/// nodes and returns a reference that reaches them there.
/// </summary>
internal class KernelHosting
{
    /// <summary>Every object a child of its creator.</summary>
    public static KernelHosting Local { get; } = new();

    /// <summary>Creates the object of <paramref name="spec"/>; <paramref name="actorName"/> names it among its creator's children.</summary>
    public virtual IActorRef Host(IActorContext context, string actorName, HostedSpec spec, KernelOptions options, KernelTrace trace) =>
        context.ActorOf(spec.Props(options, trace, this), actorName);
}
