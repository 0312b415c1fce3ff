using Akka.Actor;
using LeaseActors.Campaigns;
using LeaseActors.Cluster.Campaigns;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// Runs made by the workers of a cluster this process coordinates (<c>--cluster HOST:PORT</c>), and by this process too
/// unless <c>--no-local</c> (<see cref="ClusterCampaign"/>). Says on standard error where workers join, who joined and
/// who was lost, and at the end how many runs each node made. Leaves the cluster when disposed, after the summary, so
/// that workers are not kept waiting for it while it shrinks.
/// </summary>
internal sealed class ClusterRuns : ICampaignRuns
{
    private readonly ActorSystem _system;
    private readonly CampaignSpec _spec;
    private readonly CoordinatorOptions _options;
    private readonly TextWriter _stderr;

    private ClusterRuns(ActorSystem system, CampaignSpec spec, CoordinatorOptions options, TextWriter stderr)
    {
        _system = system;
        _spec = spec;
        _options = options;
        _stderr = stderr;
    }

    public TimeSpan Idle { get; private set; }

    /// <summary>Starts the coordinator's node at <paramref name="endpoint"/> and says where workers join it.</summary>
    /// <exception cref="ArgumentException">The endpoint or an option is bad.</exception>
    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static ClusterRuns Start(string endpoint, CampaignSpec spec, CoordinatorOptions options, TextWriter stderr)
    {
        options.Validate();
        var (host, port) = CampaignCluster.ParseEndpoint(endpoint, "--cluster");
        ActorSystem system;
        try
        {
            system = CampaignCluster.Start(new CampaignNodeOptions { Host = host, Port = port });
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            var inner = ex;
            while (inner.InnerException is not null) inner = inner.InnerException;
            throw new IOException($"--cluster: cannot listen at {endpoint}: {inner.Message}", ex);
        }
        var at = CampaignCluster.Endpoint(system);
        stderr.WriteLine($"chaos: coordinating at {at}; start workers with: leaseactors worker --join {at}");
        return new ClusterRuns(system, spec, options, stderr);
    }

    public long Run(CampaignOptions options, Func<long, bool>? skip, bool lines, Action<CampaignResult> onResult)
    {
        var report = ClusterCampaign.Run(_system, _spec, _options, (result, _) => onResult(result), message => _stderr.WriteLine("chaos: " + message), skip);
        Idle = report.Waited;
        _stderr.WriteLine($"chaos: runs by node: {string.Join(", ", report.RunsByNode.Select(n => $"{n.Key} {n.Value}"))}"
                          + (report.Lost.IsEmpty ? "" : $"; {report.Lost.Length} worker(s) lost, {report.RerunElsewhere} of their runs made elsewhere")
                          + (report.Duplicates == 0 ? "" : $"; {report.Duplicates} run(s) received twice, kept once"));
        return report.Runs;
    }

    public void Dispose()
    {
        try
        {
            CampaignCluster.Leave(_system, TimeSpan.FromSeconds(10)).Wait();
        }
        catch (AggregateException ex) when (ex.InnerException is TimeoutException)
        {
            _system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
