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
