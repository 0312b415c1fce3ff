using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Cluster.Sharding;

/// <summary>A message for one sharded kernel object: its entity id, the shard (placement) it lives in, and the message.</summary>
internal sealed record EntityEnvelope(string EntityId, string ShardId, long Incarnation, object Message);

/// <summary>Reads <see cref="EntityEnvelope"/>s for the shard regions (ids chosen by the sender: see <see cref="ClusterHosting"/>).</summary>
internal sealed class EntityExtractor : IMessageExtractor
{
    public string EntityId(object message) => message is EntityEnvelope e ? e.EntityId : null!;

    public object EntityMessage(object message) => message is EntityEnvelope e ? e : message;

    public string ShardId(object message) => message is EntityEnvelope e ? e.ShardId : null!;

    public string ShardId(string entityId, object? messageHint = null) => messageHint is EntityEnvelope e ? e.ShardId : null!;
}

/// <summary>What every node needs to host a kernel's objects: shared by value in every <see cref="HostEntity"/>.</summary>
/// <param name="Name">The kernel's name (unique in the cluster; part of every entity id).</param>
/// <param name="Home">The address of the kernel's home node (its root actor, registry and trace collector).</param>
/// <param name="Incarnation">Which start of that kernel (a kernel started again under the same name has another).</param>
/// <param name="Collector">Where every node sends its trace events.</param>
/// <param name="OriginUtc">Kernel time zero, as wall time: every node's clock counts from it.</param>
/// <param name="TimeScale">Virtual seconds per wall second.</param>
/// <param name="Policy">The kernel policy's name.</param>
/// <param name="HandlerFault">What a faulting handler does.</param>
/// <param name="SigPendingLimit">RLIMIT_SIGPENDING.</param>
internal sealed record KernelContext(string Name, string Home, long Incarnation, IActorRef Collector, DateTime OriginUtc, double TimeScale, string Policy,
    HandlerFaultPolicy HandlerFault, int SigPendingLimit)
{
    /// <summary>The kernel options an object hosted on another node is built with (chaos plans are not carried: see docs/cluster.md).</summary>
    public KernelOptions ToOptions() => new() { Policy = Judging.Policies.Get(Policy), HandlerFault = HandlerFault, SigPendingLimit = SigPendingLimit };
}

/// <summary>The first message to an entity: build the object of <paramref name="Spec"/> as its child.</summary>
internal sealed record HostEntity(HostedSpec Spec, KernelContext Kernel);

/// <summary>The entity's object exists: <paramref name="Actor"/> is its actor (on the entity's node).</summary>
internal sealed record EntityHosted(string EntityId, IActorRef Actor);

/// <summary>Stops an entity and its object (its kernel is stopping).</summary>
internal sealed record StopEntity;

/// <summary>One trace event of one node, on its way to the kernel's collector.</summary>
internal sealed record TraceRecord(string Node, int Seq, long TimeTicks, string Kind, ImmutableArray<TraceField> Fields)
{
    public static TraceRecord From(string node, TraceEntry entry)
    {
        var e = (TraceEvent)entry.Event;
        return new TraceRecord(node, entry.Index, entry.Time.Ticks, e.Kind, [.. e.Fields.Select(f => new TraceField(f.Name, Wrap(f.Value)))]);
    }

    public TraceEvent ToEvent() => new(Kind, [.. Fields.Select(f => (f.Name, Unwrap(f.Value)))]);

    // JSON keeps strings, booleans, numbers (Akka's serializer keeps an int an int) and nulls as they are; the two
    // collection values trace events carry travel as plain arrays.
    private static object? Wrap(object? value) => value switch
    {
        Files.BlockSet blocks => new BlocksValue([.. blocks]),
        ImmutableArray<long> longs => new LongsValue([.. longs]),
        _ => value,
    };

    private static object? Unwrap(object? value) => value switch
    {
        BlocksValue b => Files.BlockSet.Of(b.Blocks),
        LongsValue l => l.Values.ToImmutableArray(),
        _ => value,
    };
}

/// <summary>A <see cref="Files.BlockSet"/> field value in transit.</summary>
internal sealed record BlocksValue(long[] Blocks);

/// <summary>An <see cref="ImmutableArray{T}"/> of longs field value in transit.</summary>
internal sealed record LongsValue(long[] Values);

/// <summary>A field of a <see cref="TraceRecord"/>.</summary>
internal sealed record TraceField(string Name, object? Value);
