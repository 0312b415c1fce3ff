namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// How a worker runs the ranges the coordinator hands it: how many runs at once, how many ranges it asks for ahead, and
/// how it batches the results lines it streams back.
/// </summary>
/// <remarks>Contrast <see cref="CoordinatorOptions"/> (how the campaign is shared out) and <see cref="CampaignNodeOptions"/> (how a node joins the cluster).</remarks>
public sealed record WorkerOptions
{
    /// <summary>Runs at once on this node (one simulation driver per thread, as a local campaign's <c>--parallel</c>). Default: the number of cores.</summary>
    public int Parallel { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How many ranges the worker holds at a time: it asks for this many at the start and one more each time one is
    /// finished, so its threads never wait for the coordinator while it answers. Default 2. These are the runs made again
    /// elsewhere when the worker is lost.
    /// </summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>The most results lines in one message to the coordinator. Default 64.</summary>
    public int BatchLines { get; init; } = 64;

    /// <summary>
    /// The most characters of results lines in one message (a single longer line goes alone). Default 65,536, well under
    /// the 4 MiB frame the nodes allow.
    /// </summary>
    public int BatchChars { get; init; } = 65_536;

    /// <summary>How long a finished run's line may wait for more before it is sent anyway. Default 50 ms.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Called on a runner thread with each run index just before it runs (tests use it to hold a worker mid-range).</summary>
    internal Action<long>? BeforeRun { get; init; }

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public WorkerOptions Validate()
    {
        if (Parallel <= 0) throw new ArgumentException($"--parallel must be positive, was {Parallel}", nameof(Parallel));
        if (Prefetch <= 0) throw new ArgumentException($"the prefetch must be positive, was {Prefetch}", nameof(Prefetch));
        if (BatchLines <= 0) throw new ArgumentException($"the batch size must be positive, was {BatchLines}", nameof(BatchLines));
        if (BatchChars <= 0) throw new ArgumentException($"the batch size in characters must be positive, was {BatchChars}", nameof(BatchChars));
        if (FlushInterval <= TimeSpan.Zero) throw new ArgumentException($"the flush interval must be positive, was {FlushInterval}", nameof(FlushInterval));
        return this;
    }
}
