using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace LeaseActors.Cluster.Sharding;

/// <summary>
/// Puts each shard on the node its id names (a shard id is a node's address, chosen by <see cref="ClusterHosting"/>),
/// and a shard whose node is gone on the region with the fewest shards. Never rebalances: a kernel object's actor
/// reference must stay valid for as long as it lives, so an entity never moves.
/// </summary>
internal sealed class PlacementAllocationStrategy(ActorSystem system) : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        foreach (var region in currentShardAllocations.Keys)
        {
            var address = region.Path.Address.HasLocalScope ? self : region.Path.Address;
            if (address.ToString() == shardId) return Task.FromResult(region);
        }
        var fallback = currentShardAllocations
            .OrderBy(kv => kv.Value.Count)
            .ThenBy(kv => kv.Key.Path.ToString(), StringComparer.Ordinal)
            .First().Key;
        return Task.FromResult(fallback);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
