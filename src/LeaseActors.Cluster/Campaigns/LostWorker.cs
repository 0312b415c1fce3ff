namespace LeaseActors.Cluster.Campaigns;

/// <summary>A worker the coordinator stopped counting on, and how many of its runs it handed out again.</summary>
/// <param name="Node">The worker's node, <c>host:port</c>.</param>
/// <param name="Why">What happened: <c>unreachable</c>, <c>left the cluster</c> or <c>stopped</c>.</param>
/// <param name="RequeuedRuns">Runs it held but had not reported, handed out again.</param>
public sealed record LostWorker(string Node, string Why, long RequeuedRuns);
