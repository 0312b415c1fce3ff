using System.Collections.Immutable;

namespace LeaseActors.Cluster.Campaigns;

/// <summary>Where a campaign's runs were made: runs per node, the workers lost on the way, and what was made again.</summary>
/// <param name="Runs">Runs received (each index once).</param>
/// <param name="RunsByNode">Runs received from each node (<c>host:port</c>), the coordinator's own included.</param>
/// <param name="Lost">Workers lost during the campaign, in the order they were lost.</param>
/// <param name="RerunElsewhere">Runs handed out again after their worker was lost that another node then made.</param>
/// <param name="Duplicates">Results lines received for runs already received (made twice after a false alarm or a loss), ignored.</param>
/// <param name="Waited">How long the coordinator waited for workers before it handed out the first range.</param>
public sealed record ClusterCampaignReport(long Runs, ImmutableSortedDictionary<string, long> RunsByNode, ImmutableArray<LostWorker> Lost,
    long RerunElsewhere, long Duplicates, TimeSpan Waited);
