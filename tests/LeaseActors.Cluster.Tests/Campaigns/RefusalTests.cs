using LeaseActors.Cluster.Campaigns;
using LeaseActors.Cluster.Campaigns.Internal;
using LeaseActors.Simulation;

namespace LeaseActors.Cluster.Tests.Campaigns;

/// <summary>A worker that cannot run the campaign as the coordinator does says why, and the coordinator stops with that reason instead of waiting.</summary>
[Collection(ClusterNodesRunAlone.Name)]
public sealed class RefusalTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string Fingerprint(LeaseActors.Campaigns.CampaignOptions campaign)
    {
        using var system = SimulationSetup.CreateSystem("fingerprint");
        using var driver = new SimulationDriver(system);
        var fingerprint = CampaignFingerprint.Of(driver, campaign);
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        return fingerprint;
    }

    private ClusterCampaignException Coordinate(ClusterNodes nodes, CampaignSpec spec, LeaseActors.Campaigns.CampaignOptions campaign, string fingerprint)
    {
        using var limit = new CancellationTokenSource(Limit);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<ClusterCampaignException>(() => ClusterCampaign.Coordinate(nodes.Coordinator, spec, campaign, fingerprint,
            new CoordinatorOptions { LocalWorker = null }, (_, _) => { }, null, null, limit.Token));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.000} s: {error.Message}");
        return error;
    }

    [Fact]
    public async Task A_worker_whose_runs_differ_from_the_coordinators_refuses_the_campaign_and_the_coordinator_stops_naming_it()
    {
        var spec = Reference.RdmaSeed(runs: 50, seed: 1);
        var campaign = spec.Parse(1);
        await using var nodes = new ClusterNodes();
        var worker = nodes.StartWorker(new WorkerOptions { Parallel = 1 });

        // The coordinator's fingerprint is that of another policy: as if the worker were another build.
        var error = Coordinate(nodes, spec, campaign, Fingerprint(campaign with { Policy = "mainline" }));

        Assert.Contains($"worker {CampaignCluster.Endpoint(worker.System)} cannot run this campaign", error.Message, StringComparison.Ordinal);
        Assert.Contains("another build of leaseactors", error.Message, StringComparison.Ordinal);
        var outcome = await worker.Outcome.WaitAsync(Limit);
        Assert.Equal(WorkerEnd.Refused, outcome.End);
        Assert.Equal(0, outcome.Runs);
    }

    [Fact]
    public async Task A_worker_that_cannot_parse_the_topology_refuses_with_the_parsers_message()
    {
        var spec = Reference.RdmaSeed(runs: 50, seed: 1);
        var campaign = spec.Parse(1);
        await using var nodes = new ClusterNodes();
        var worker = nodes.StartWorker(new WorkerOptions { Parallel = 1 });

        var error = Coordinate(nodes, spec with { TopologyText = spec.TopologyText.Replace("{ sleep = 2m }", "{ sleep = two minutes }", StringComparison.Ordinal) },
            campaign, Fingerprint(campaign));

        Assert.Contains("it cannot parse the campaign", error.Message, StringComparison.Ordinal);
        Assert.Contains("rdma-seed.conf", error.Message, StringComparison.Ordinal);
        Assert.Contains("processes.B.program[1]", error.Message, StringComparison.Ordinal);
        Assert.Equal(WorkerEnd.Refused, (await worker.Outcome.WaitAsync(Limit)).End);
    }
}
