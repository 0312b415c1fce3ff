namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// How the coordinator shares a campaign out: how many workers it waits for, how many runs a range holds, and whether
/// its own node makes runs too.
/// </summary>
/// <remarks>Contrast <see cref="WorkerOptions"/> (how a worker runs what it is given) and <see cref="CampaignNodeOptions"/> (how a node joins the cluster).</remarks>
public sealed record CoordinatorOptions
{
    /// <summary>
    /// How many workers on other nodes must have accepted the campaign before the first range is handed out. Default 0:
    /// start at once (with the coordinator's own worker, if any) and let workers join as they come. Once runs have been
    /// handed out, workers that leave do not stop the campaign.
    /// </summary>
    public int MinWorkers { get; init; }

    /// <summary>
    /// How many consecutive runs a range holds. Default 100: small enough that a lost worker's ranges are few runs to make
    /// again and that the last ranges spread over the workers, large enough that asking for work costs little.
    /// </summary>
    public int RangeSize { get; init; } = 100;

    /// <summary>The coordinator's own worker, which makes runs on the coordinator's node; null runs none there (<c>--no-local</c>). Default: a worker with <see cref="WorkerOptions"/>' defaults.</summary>
    public WorkerOptions? LocalWorker { get; init; } = new();

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public CoordinatorOptions Validate()
    {
        if (MinWorkers < 0) throw new ArgumentException($"--min-workers must not be negative, was {MinWorkers}", nameof(MinWorkers));
        if (RangeSize <= 0) throw new ArgumentException($"the range size must be positive, was {RangeSize}", nameof(RangeSize));
        LocalWorker?.Validate();
        return this;
    }
}
