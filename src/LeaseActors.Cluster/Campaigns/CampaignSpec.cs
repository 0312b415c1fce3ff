using LeaseActors.Campaigns;
using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// A chaos campaign as it travels to the workers of a cluster: the topology file's text and path, the chaos plan
/// file's text and path, the policy, the seed and the number of runs. Every node parses the texts itself
/// (<see cref="Parse"/>), so workers need not share a filesystem with the coordinator.
/// </summary>
/// <remarks>
/// The path goes with the text because a topology is named after its file (<see cref="Topology.Name"/>) and every
/// results line carries that name; parsing the same text under the same path gives the same topology on every node.
/// Only strings and numbers, so Akka's default serializer carries it in <see cref="CampaignWorker.RunCampaign"/>.
/// Contrast <see cref="CampaignOptions"/>, the parsed campaign one process runs.
/// </remarks>
/// <param name="TopologyPath">The topology file's path as the user gave it (it names the topology and its errors).</param>
/// <param name="TopologyText">The topology file's text.</param>
/// <param name="ChaosPath">The chaos plan file's path (<c>--chaos F</c>), or null to keep the topology's own chaos block.</param>
/// <param name="ChaosText">The chaos plan file's text, or null with <paramref name="ChaosPath"/>.</param>
/// <param name="Policy">The policy (null: the topology's own, else mainline).</param>
/// <param name="Seed">The campaign's seed S; run i's seed is <c>Derive(S, i)</c>.</param>
/// <param name="Runs">How many runs.</param>
public sealed record CampaignSpec(string TopologyPath, string TopologyText, string? ChaosPath, string? ChaosText, string? Policy, ulong Seed, long Runs)
{
    /// <summary>Reads the topology file and the chaos plan file (if any) into a spec.</summary>
    /// <exception cref="TopologyException">A file cannot be read; the message names it.</exception>
    public static CampaignSpec FromFiles(string topologyPath, string? chaosPath, string? policy, ulong seed, long runs)
    {
        ArgumentNullException.ThrowIfNull(topologyPath);
        return new CampaignSpec(topologyPath, ReadFile(topologyPath), chaosPath, chaosPath is null ? null : ReadFile(chaosPath), policy, seed, runs);
    }

    /// <summary>The policy the runs use: <see cref="Policy"/>, else the topology's own, else mainline.</summary>
    public string EffectivePolicy(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return Policy ?? topology.Policy ?? Policies.Mainline;
    }

    /// <summary>
    /// Parses the texts into the campaign this process runs, <paramref name="parallel"/> runs at once, with the same
    /// checks as a campaign read from files: the plan's processes exist in the topology, the policy is known, the
    /// number of runs is positive.
    /// </summary>
    /// <exception cref="TopologyException">A text is not a valid topology or plan; the message names the file and the path in it.</exception>
    /// <exception cref="ArgumentException">The policy is unknown, or a number is out of range.</exception>
    public CampaignOptions Parse(int parallel)
    {
        var topology = TopologyParser.Parse(TopologyText, TopologyPath);
        ChaosPlan? plan = null;
        if (ChaosText is not null)
        {
            var source = ChaosPath ?? "(chaos)";
            plan = ChaosPlanParser.Parse(ChaosText, source);
            ChaosPlanParser.CheckAgainst(plan, topology, source);
        }
        var policy = Policies.Require(EffectivePolicy(topology));
        return new CampaignOptions { Topology = topology, Policy = policy, Chaos = plan, Runs = Runs, Seed = Seed, Parallel = parallel }.Validate();
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TopologyException(path, "", $"cannot read the file ({e.Message})");
        }
    }
}
