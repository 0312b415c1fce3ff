namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// How one node of a campaign cluster joins it: the address it binds to, the coordinator it joins (none for the
/// coordinator itself), and how quickly the cluster gives up on a node it cannot hear from.
/// </summary>
/// <remarks>
/// Contrast <see cref="CoordinatorOptions"/> and <see cref="WorkerOptions"/>, which say how a campaign is shared out and
/// run once the node is in the cluster. <see cref="CampaignCluster.Start"/> turns these into Akka's HOCON in one place.
/// </remarks>
public sealed record CampaignNodeOptions
{
    /// <summary>The host name or IP address this node binds to, which is also the address the other nodes reach it at. Required; nothing else is bound.</summary>
    public required string Host { get; init; }

    /// <summary>The TCP port to bind; 0 (the default) takes a free one, which <see cref="CampaignCluster.Endpoint(Akka.Actor.ActorSystem)"/> then tells.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The coordinator's <c>host:port</c>, for a worker; null (the default) makes this node the coordinator, which forms the
    /// cluster by joining itself.
    /// </summary>
    public string? Join { get; init; }

    /// <summary>
    /// How long a node's heartbeats may stop before the others mark it unreachable (Akka's
    /// <c>acceptable-heartbeat-pause</c>). Default 10 s: nodes run CPU-bound simulations on every core, which can delay
    /// heartbeats, and a false alarm only costs runs made twice.
    /// </summary>
    public TimeSpan HeartbeatPause { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long membership must stay unchanged after a node became unreachable before the split brain resolver downs it
    /// (its <c>stable-after</c>). Default 10 s. The coordinator re-queues an unreachable worker's runs at once; this only
    /// decides when the node is removed for good.
    /// </summary>
    public TimeSpan DownAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a worker keeps trying to join the coordinator before its node shuts down. Default 60 s.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The lowest level of Akka's own log messages written to standard error: OFF, ERROR, WARNING, INFO or DEBUG. Default ERROR.</summary>
    public string LogLevel { get; init; } = "ERROR";

    /// <summary>True for the coordinator's node (no <see cref="Join"/>).</summary>
    public bool IsCoordinator => Join is null;

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public CampaignNodeOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) throw new ArgumentException("the host to bind must be given", nameof(Host));
        if (Port is < 0 or > 65535) throw new ArgumentException($"the port must be in 0–65535, was {Port}", nameof(Port));
        if (Join is not null) CampaignCluster.ParseEndpoint(Join, "the coordinator's address");
        if (HeartbeatPause <= TimeSpan.Zero) throw new ArgumentException($"the heartbeat pause must be positive, was {HeartbeatPause}", nameof(HeartbeatPause));
        if (DownAfter <= TimeSpan.Zero) throw new ArgumentException($"the down-after time must be positive, was {DownAfter}", nameof(DownAfter));
        if (JoinTimeout <= TimeSpan.Zero) throw new ArgumentException($"the join timeout must be positive, was {JoinTimeout}", nameof(JoinTimeout));
        if (LogLevel is not ("OFF" or "ERROR" or "WARNING" or "INFO" or "DEBUG"))
            throw new ArgumentException($"the log level must be OFF, ERROR, WARNING, INFO or DEBUG, was {LogLevel}", nameof(LogLevel));
        return this;
    }
}
