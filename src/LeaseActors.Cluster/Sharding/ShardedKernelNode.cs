using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Tracing;

namespace LeaseActors.Cluster.Sharding;

/// <summary>
/// One cluster node's part in hosting sharded kernels: the three shard regions (processes by pid, inodes by inode
/// number, open file descriptions by description id), started on every node, and the node's copy of each kernel's
/// context (its options, its clock, a trace that forwards events to the kernel's collector). Start it on every node
/// with <see cref="Start"/> before a kernel places objects there.
/// </summary>
public sealed class ShardedKernelNode : IExtension
{
    /// <summary>The shard region type name of processes.</summary>
    public const string ProcessRegion = "leaseactors-process";

    /// <summary>The shard region type name of inodes (lease managers).</summary>
    public const string InodeRegion = "leaseactors-inode";

    /// <summary>The shard region type name of open file descriptions (files, socket ends, RDMA device contexts).</summary>
    public const string DescriptionRegion = "leaseactors-ofd";

    private readonly ConcurrentDictionary<(string, long), NodeKernel> _kernels = new();

    /// <summary>
    /// The settings every node of a sharded kernel needs (add them to the node's configuration): sharding's coordinator
    /// state in distributed data, no remembered entities and no passivation (an entity must live as long as its
    /// object, because other objects hold its actor reference), and Akka's JSON serializer without object references
    /// (the kernel's messages carry immutable collections, which Json.NET cannot rebuild with references kept; they
    /// hold no cycles) and with converters for the values Json.NET cannot build (KernelJsonConverters.cs), with sharding's and distributed data's serializers registered before the node joins.
    /// </summary>
    public static Akka.Configuration.Config RequiredConfig { get; } = Akka.Configuration.ConfigurationFactory.ParseString("""
        akka.cluster.sharding {
          state-store-mode = ddata
          remember-entities = off
          passivate-idle-entity-after = off
        }
        akka.actor.serialization-settings.json {
          preserve-object-references = false
          converters = [
            "LeaseActors.Cluster.Sharding.FdRefJsonConverter, LeaseActors.Cluster"
            "LeaseActors.Cluster.Sharding.ProcessRefJsonConverter, LeaseActors.Cluster"
            "LeaseActors.Cluster.Sharding.BlockSetJsonConverter, LeaseActors.Cluster"
          ]
        }
        """).WithFallback(ClusterSharding.DefaultConfig()).WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());

    internal ShardedKernelNode(ExtendedActorSystem system)
    {
        System = system;
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system).WithRememberEntities(false).WithPassivateIdleAfter(TimeSpan.Zero);
        Processes = StartRegion(sharding, ProcessRegion, settings);
        Inodes = StartRegion(sharding, InodeRegion, settings);
        Descriptions = StartRegion(sharding, DescriptionRegion, settings);
    }

    private IActorRef StartRegion(ClusterSharding sharding, string typeName, ClusterShardingSettings settings) =>
        sharding.Start(typeName, entityId => EntityHostActor.Props(this, entityId), settings, new EntityExtractor(), new PlacementAllocationStrategy(System), new StopEntity());

    /// <summary>Starts (once per actor system) the shard regions of sharded kernels on this node.</summary>
    /// <remarks>The system must be a cluster member (<c>akka.actor.provider = cluster</c>); see docs/cluster.md for its configuration.</remarks>
    public static ShardedKernelNode Start(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<ShardedKernelNode, ShardedKernelNodeProvider>();
    }

    /// <summary>
    /// Completes once sharding's coordinator knows a region of each kind on every member that is up, so that a process
    /// placed on any of them is hosted there. Await it after the nodes have joined and started, before a kernel places
    /// objects.
    /// </summary>
    /// <remarks>
    /// A node's regions register with the coordinator a moment after the node is up. A shard asked for before its node's
    /// region registered goes to the region with the fewest shards (<see cref="PlacementAllocationStrategy"/>'s
    /// fallback for a node that is gone) and, as entities never move, stays there: every later process meant for that
    /// node would run elsewhere. The cluster-throughput bench found this (docs/performance/2026-11-27-cluster).
    /// </remarks>
    public async Task WhenReadyAsync(CancellationToken cancel = default)
    {
        var cluster = Akka.Cluster.Cluster.Get(System);
        foreach (var region in new[] { Processes, Inodes, Descriptions })
        {
            while (true)
            {
                var up = cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up);
                var known = await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(5), cancel).ConfigureAwait(false);
                if (known.Regions.Count >= up) break;
                await Task.Delay(20, cancel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The actor system of this node.</summary>
    public ActorSystem System { get; }

    /// <summary>This node's address in the cluster.</summary>
    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    internal IActorRef Processes { get; }

    internal IActorRef Inodes { get; }

    internal IActorRef Descriptions { get; }

    /// <summary>This node's copy of a kernel's context, made on the first object the kernel places here.</summary>
    internal NodeKernel KernelFor(KernelContext kernel) =>
        _kernels.GetOrAdd((kernel.Name, kernel.Incarnation), _ =>
        {
            var clock = KernelClock.RealTimeSince(System.Scheduler, kernel.TimeScale, kernel.OriginUtc);
            var node = Address.ToString();
            var collector = kernel.Collector;
            var trace = new KernelTrace(null, entry => collector.Tell(TraceRecord.From(node, entry)), clock, null);
            return new NodeKernel(this, kernel, kernel.ToOptions(), trace, collector: null);
        });

    /// <summary>Registers the kernel's own context on its home node, so objects hosted there share its trace and collector.</summary>
    internal void Register(NodeKernel kernel) => _kernels[(kernel.Context.Name, kernel.Context.Incarnation)] = kernel;

    /// <summary>Forgets a stopped kernel.</summary>
    internal void Forget(KernelContext kernel) => _kernels.TryRemove((kernel.Name, kernel.Incarnation), out _);
}

/// <summary>Creates <see cref="ShardedKernelNode"/> as an Akka extension.</summary>
public sealed class ShardedKernelNodeProvider : ExtensionIdProvider<ShardedKernelNode>
{
    /// <inheritdoc />
    public override ShardedKernelNode CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>A kernel as one node sees it: the options, trace and hosting its objects there are built with.</summary>
internal sealed class NodeKernel
{
    public NodeKernel(ShardedKernelNode node, KernelContext context, KernelOptions options, KernelTrace trace, TraceCollector? collector,
        Func<string, IReadOnlyList<Address>, Address>? placeProcess = null)
    {
        Node = node;
        Context = context;
        Options = options;
        Trace = trace;
        Collector = collector;
        Hosting = new ClusterHosting(this, placeProcess);
    }

    public ShardedKernelNode Node { get; }

    public KernelContext Context { get; }

    public KernelOptions Options { get; }

    public KernelTrace Trace { get; }

    /// <summary>The kernel's trace collector: set on the kernel's home node only.</summary>
    public TraceCollector? Collector { get; }

    public ClusterHosting Hosting { get; }

    /// <summary>Where each entity placed from this node was hosted: entity id → (shard id, node address once known).</summary>
    public ConcurrentDictionary<string, (string Shard, Address? Node)> Placements { get; } = new(StringComparer.Ordinal);
}
