namespace LeaseActors.Cluster.Campaigns;

/// <summary>How a worker's part in a campaign ended.</summary>
public enum WorkerEnd
{
    /// <summary>The campaign finished: every run is done (by this worker or others).</summary>
    Finished,

    /// <summary>This worker could not run the campaign: its parse failed or differs from the coordinator's.</summary>
    Refused,

    /// <summary>The coordinator stopped the campaign (another worker refused it or failed).</summary>
    Stopped,

    /// <summary>A run failed with an exception on this worker (a bug in the emulator).</summary>
    Failed,

    /// <summary>The coordinator was never found, or went away before the campaign finished, or this node left the cluster.</summary>
    Lost,
}

/// <summary>How a worker's part in a campaign ended, and what it did.</summary>
/// <param name="End">How it ended.</param>
/// <param name="Reason">One line for the user when it did not finish normally; null when it did.</param>
/// <param name="Runs">How many runs this worker made (some may have been made elsewhere too and ignored).</param>
/// <param name="Campaign">The campaign it took part in, or null when none came.</param>
public sealed record WorkerOutcome(WorkerEnd End, string? Reason, long Runs, CampaignSpec? Campaign);
