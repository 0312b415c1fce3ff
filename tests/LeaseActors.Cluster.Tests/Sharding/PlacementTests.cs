using LeaseActors.Cluster.Sharding;
using LeaseActors.Kernel;

namespace LeaseActors.Cluster.Tests.Sharding;

/// <summary>
/// A process goes to the node its placement names even when it is the first object placed right after the cluster
/// formed: before <see cref="ShardedKernelNode.WhenReadyAsync"/>, the coordinator could allocate its shard before that
/// node's region had registered, fall back to another region, and keep every later process for that node there.
/// </summary>
[Trait("Category", "RealTime")]
public sealed class PlacementTests : IAsyncLifetime
{
    private readonly ClusterNodes _nodes = new();

    public Task InitializeAsync() => _nodes.InitializeAsync();

    public Task DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task Processes_placed_on_the_other_nodes_first_thing_after_the_cluster_formed_are_hosted_there()
    {
        var second = Akka.Cluster.Cluster.Get(_nodes.Systems[1]).SelfAddress;
        var third = Akka.Cluster.Cluster.Get(_nodes.Systems[2]).SelfAddress;
        var kernel = ShardedKernel.Create(_nodes.Home, new ShardedKernelOptions
        {
            Name = "placed",
            PlaceProcess = (name, _) => name.StartsWith('c') ? third : second,
        });
        var c1 = await kernel.SpawnAsync(new EmulatedKernel.Spawn("c1", [], ExitAtEnd: false));
        var b1 = await kernel.SpawnAsync(new EmulatedKernel.Spawn("b1", [], ExitAtEnd: false));
        var c2 = await kernel.SpawnAsync(new EmulatedKernel.Spawn("c2", [], ExitAtEnd: false));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await kernel.WhenHostedAsync(timeout.Token);

        Assert.Equal(third, kernel.Placements["placed.p" + c1.Pid.Value]);
        Assert.Equal(second, kernel.Placements["placed.p" + b1.Pid.Value]);
        Assert.Equal(third, kernel.Placements["placed.p" + c2.Pid.Value]);
        await kernel.StopAsync();
    }
}
