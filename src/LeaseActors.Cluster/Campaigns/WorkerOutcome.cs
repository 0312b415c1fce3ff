namespace LeaseActors.Cluster.Campaigns;

/// <summary>How a worker's part in a campaign ended, and what it did.</summary>
/// <param name="End">How it ended.</param>
/// <param name="Reason">One line for the user when it did not finish normally; null when it did.</param>
/// <param name="Runs">How many runs this worker made (some may have been made elsewhere too and ignored).</param>
/// <param name="Campaign">The campaign it took part in, or null when none came.</param>
public sealed record WorkerOutcome(WorkerEnd End, string? Reason, long Runs, CampaignSpec? Campaign);
