using LeaseActors.Cluster.Campaigns;
using LeaseActors.Topologies;

namespace LeaseActors.Cluster.Tests.Campaigns;

public sealed class CampaignSpecTests
{
    [Fact]
    public void A_spec_parses_to_the_campaign_its_files_give()
    {
        var spec = Reference.RdmaSeed(runs: 10, seed: 4);

        var campaign = spec.Parse(parallel: 3);

        var fromFile = TopologyParser.ParseFile(Reference.Topology("rdma-seed"));
        Assert.Equal("rdma-seed", campaign.Topology.Name);
        Assert.Equal(fromFile.ProcessNames.ToArray(), campaign.Topology.ProcessNames.ToArray());
        Assert.Equal("mr-holds-lease", campaign.Policy);
        Assert.Equal(2, campaign.Chaos!.Delays.Length);
        Assert.Equal((10L, 4UL, 3), (campaign.Runs, campaign.Seed, campaign.Parallel));
    }

    [Fact]
    public void Without_a_policy_the_topologys_own_or_mainline_applies()
    {
        var spec = Reference.RdmaSeed(runs: 10, seed: 4) with { Policy = null };
        Assert.Equal("mainline", spec.Parse(1).Policy);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_bad_input_naming_it()
    {
        var error = Assert.Throws<TopologyException>(() => CampaignSpec.FromFiles("/nonexistent/x.conf", null, null, 0, 10));
        Assert.Contains("/nonexistent/x.conf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_that_names_a_process_the_topology_lacks_is_bad_input()
    {
        var spec = CampaignSpec.FromFiles(Reference.Topology("handler-in-time"), Reference.Plan("rdma-seed-crashes"), null, 0, 10);
        var error = Assert.Throws<TopologyException>(() => spec.Parse(1));
        Assert.Contains("process `C` is not in topology handler-in-time", error.Message, StringComparison.Ordinal);
    }
}
