namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// A campaign on a cluster that could not go on because of how the cluster is set up, not because of a bug: a worker
/// could not parse the campaign, or parsed it differently from the coordinator (another build of leaseactors). The
/// message is one line naming the worker and the reason.
/// </summary>
/// <remarks>A run that fails on a worker with an exception is a bug, reported as an <see cref="InvalidOperationException"/> as for a local campaign.</remarks>
public sealed class ClusterCampaignException : Exception
{
    /// <summary>Creates the error with its one-line message.</summary>
    public ClusterCampaignException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with no message (for serializers and analyzers; not used by the coordinator).</summary>
    public ClusterCampaignException() : base("a campaign on the cluster could not go on")
    {
    }

    /// <summary>Creates the error with its message and cause.</summary>
    public ClusterCampaignException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
