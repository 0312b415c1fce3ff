using Akka.Actor;
using LeaseActors.Cluster.Sharding;
using LeaseActors.Simulation;
using LeaseActors.Topologies;
using Xunit.Abstractions;

namespace LeaseActors.Cluster.Tests.Sharding;

/// <summary>
/// A topology whose processes are spread over three cluster nodes gets the simulation's verdict. The topologies chosen
/// have margins far above the real-time timer resolution (10 ms wall, half a virtual second): handlers answer in tens of
/// milliseconds or miss by seconds against a 45 s lease-break time.
/// </summary>
[Trait("Category", "RealTime")]
public sealed class ShardedKernelVerdictTests(ClusterNodes nodes, ITestOutputHelper output) : IClassFixture<ClusterNodes>
{
    public static TheoryData<string> Topologies() => new("handler-in-time.conf", "handler-too-slow.conf", "seed-email.conf", "rdma-handler-in-time.conf");

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task Verdict_on_three_nodes_equals_the_simulations_and_processes_run_on_several_nodes(string file)
    {
        var topology = TopologyParser.ParseFile(Path.Combine(Repo.Root, "configs", "topologies", file));
        using var simulationSystem = SimulationSetup.CreateSystem();
        using var driver = new SimulationDriver(simulationSystem);
        var simulated = TopologyRunner.Run(driver, topology, null, 0);

        var (report, kernel) = await ClusterRunner.RunAsync(nodes.Home, topology);
        var hosts = kernel.Placements.Values.Where(a => a is not null).Distinct().ToList();
        output.WriteLine($"{file}: simulated {simulated.Verdict}, cluster {report.Verdict} at {report.VirtualTimeMs:0} ms ({report.EndedBy}), {report.Events} events from {kernel.EventCounts.Nodes} nodes; entities on {hosts.Count} nodes");
        foreach (var (entity, node) in kernel.Placements.OrderBy(p => p.Key, StringComparer.Ordinal)) output.WriteLine($"  {entity} on {node}");
        if (report.Verdict != simulated.Verdict)
        {
            // Real time is not deterministic: a difference must show twice to count (as RealTimeRunnerTests do).
            (report, kernel) = await ClusterRunner.RunAsync(nodes.Home, topology);
            hosts = [.. kernel.Placements.Values.Where(a => a is not null).Distinct()];
            output.WriteLine($"  again: cluster {report.Verdict} ({report.EndedBy})");
        }
        Assert.Equal(simulated.Verdict, report.Verdict);
        Assert.True(hosts.Count >= 2, $"entities were hosted on {hosts.Count} node(s)");
        Assert.True(kernel.EventCounts.Nodes >= 2, $"events came from {kernel.EventCounts.Nodes} node(s)");
    }
}
