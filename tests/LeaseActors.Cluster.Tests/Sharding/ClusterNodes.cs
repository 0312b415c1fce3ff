using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using LeaseActors.Cluster.Sharding;

namespace LeaseActors.Cluster.Tests.Sharding;

/// <summary>Three actor systems in this test process forming a cluster on 127.0.0.1 (free ports), each with the sharded-kernel regions started.</summary>
public sealed class ClusterNodes : IAsyncLifetime
{
    private static int s_clusters;

    /// <summary>Cluster members on loopback; sharding's coordinator state in ddata, no remembered entities, no passivation.</summary>
    public static Config NodeConfig { get; } = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster {
            sharding { state-store-mode = ddata, remember-entities = off }
            # the tests down nodes themselves
            downing-provider-class = ""
          }
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """).WithFallback(ShardedKernelNode.RequiredConfig);

    public List<ActorSystem> Systems { get; } = [];

    /// <summary>Whether <see cref="InitializeAsync"/> waits until the coordinator knows every node's regions (as a host must); default true.</summary>
    public bool WaitForRegions { get; init; } = true;

    public ActorSystem Home => Systems[0];

    public async Task InitializeAsync()
    {
        var name = "lease" + Interlocked.Increment(ref s_clusters);
        for (var i = 0; i < 3; i++) Systems.Add(ActorSystem.Create(name, NodeConfig));
        var seed = Akka.Cluster.Cluster.Get(Systems[0]).SelfAddress;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Task.WhenAll(Systems.Select(s => Akka.Cluster.Cluster.Get(s).JoinAsync(seed, timeout.Token)));
        foreach (var system in Systems)
        {
            while (Akka.Cluster.Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up) < Systems.Count)
                await Task.Delay(20, timeout.Token);
        }
        foreach (var system in Systems) ShardedKernelNode.Start(system);
        if (WaitForRegions) await ShardedKernelNode.Start(Home).WhenReadyAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Systems.Select(s => s.Terminate()));
    }
}
