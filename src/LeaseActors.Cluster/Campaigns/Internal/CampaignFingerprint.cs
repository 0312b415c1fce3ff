using System.Security.Cryptography;
using System.Text;
using LeaseActors.Campaigns;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>
/// What a node made of a <see cref="CampaignSpec"/>: the SHA-256 of the results lines (wall time zeroed) of the
/// campaign's first <see cref="ProbeRuns"/> runs. The coordinator sends its own with the spec; a worker whose parse gives
/// another refuses the campaign instead of adding runs that differ from the coordinator's.
/// </summary>
/// <remarks>
/// Comparing the parsed objects field by field would miss what matters most — a worker built from other sources that
/// parses the same text the same way but runs it differently — so the check compares behaviour: the topology's name,
/// the policy, the plan's samples and the emulator's decisions all go into those lines and their trace hashes. It is a
/// probe, not a proof: a difference that none of the first runs reaches goes unseen.
/// </remarks>
internal static class CampaignFingerprint
{
    /// <summary>How many runs the fingerprint covers (fewer when the campaign is shorter).</summary>
    public const int ProbeRuns = 3;

    public static string Of(SimulationDriver driver, CampaignOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var settings = new TopologyRunSettings { Chaos = options.Chaos };
        for (var i = 0L; i < Math.Min(ProbeRuns, options.Runs); i++)
        {
            var report = TopologyRunner.Run(driver, options.Topology, options.Policy, options.SeedOf(i), settings);
            hash.AppendData(Encoding.UTF8.GetBytes(CampaignResultsFile.Line(new CampaignRun(i, report, 0)) + "\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
