using System.Text.Json;
using Akka.Actor;
using LeaseActors.Campaigns;
using LeaseActors.Cluster.Campaigns;
using LeaseActors.Simulation;

namespace LeaseActors.Cluster.Tests.Campaigns;

/// <summary>The tests that start cluster nodes bind loopback ports: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterNodesRunAlone
{
    public const string Name = "cluster nodes";
}

/// <summary>
/// Campaign nodes on 127.0.0.1 with ports the OS picks, in this process: a coordinator and workers, each its own
/// ActorSystem talking to the others over TCP (so every message crosses Akka's serializer). Terminates them all.
/// </summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private readonly List<ActorSystem> _systems = [];

    public ClusterNodes() => Coordinator = Add(new CampaignNodeOptions { Host = "127.0.0.1" });

    public ActorSystem Coordinator { get; }

    public string CoordinatorEndpoint => CampaignCluster.Endpoint(Coordinator);

    /// <summary>Starts a worker node that joins the coordinator, and its worker.</summary>
    public (ActorSystem System, Task<WorkerOutcome> Outcome) StartWorker(WorkerOptions options)
    {
        var system = Add(new CampaignNodeOptions { Host = "127.0.0.1", Join = CoordinatorEndpoint });
        return (system, CampaignWorker.Start(system, options));
    }

    private ActorSystem Add(CampaignNodeOptions options)
    {
        var system = CampaignCluster.Start(options with { LogLevel = "OFF" });
        _systems.Add(system);
        return system;
    }

    public async ValueTask DisposeAsync()
    {
        // Workers first, so that they leave a coordinator that is still there.
        await Task.WhenAll(_systems.Skip(1).Select(s => s.Terminate())).WaitAsync(TimeSpan.FromSeconds(30));
        await Coordinator.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
    }
}

/// <summary>Inputs and the single-machine reference the cluster's results are compared with.</summary>
internal static class Reference
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeaseActors.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("LeaseActors.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Topology(string name) => Path.Combine(RepoRoot, "configs", "topologies", name + ".conf");

    public static string Plan(string name) => Path.Combine(RepoRoot, "configs", "chaos", name + ".conf");

    /// <summary>rdma-seed under mr-holds-lease with delays.conf: about one run in 250 is late, the rest clean.</summary>
    public static CampaignSpec RdmaSeed(long runs, ulong seed) =>
        CampaignSpec.FromFiles(Topology("rdma-seed"), Plan("delays"), "mr-holds-lease", seed, runs);

    /// <summary>The same campaign made by <see cref="CampaignRunner"/> in this process: its lines (without wall time) by run, and its summary.</summary>
    public static (SortedDictionary<long, string> Lines, string Summary) Local(CampaignSpec spec)
    {
        var options = spec.Parse(parallel: 2);
        var lines = new SortedDictionary<long, string>();
        var summary = new CampaignSummary();
        using var system = SimulationSetup.CreateSystem("reference", Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = OFF"));
        CampaignRunner.Run(system, options, run =>
        {
            var result = CampaignResult.Of(run);
            lines.Add(result.Run, WithoutWallTime(result.Line!));
            summary.Add(result);
        }, format: CampaignResultsFile.Line);
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        return (lines, Describe(summary));
    }

    /// <summary>A results line without its one wall-clock field.</summary>
    public static string WithoutWallTime(string line)
    {
        using var json = JsonDocument.Parse(line);
        return string.Join(",", json.RootElement.EnumerateObject().Where(p => p.Name != "wallMs").Select(p => p.Name + "=" + p.Value.GetRawText()));
    }

    /// <summary>Everything a summary says, as text: what the command prints and its JSON are made from these.</summary>
    public static string Describe(CampaignSummary summary) => string.Join("\n",
        $"runs {summary.Runs}, with slack {summary.RunsWithSlack}, min {summary.MinSlackMs:R}",
        $"p1 {summary.SlackPercentile(1)} p10 {summary.SlackPercentile(10)} p50 {summary.SlackPercentile(50)}",
        "counts " + string.Join(" ", summary.Counts.Select(c => $"{c.Verdict}={c.Runs}")),
        "worst " + string.Join(" ", summary.Worst.Select(w => $"{w.Run}/{w.Seed}/{w.Verdict}/{w.SlackMs:R}")),
        "faults " + string.Join(" ", summary.ByFault.Select(f => $"{f.Kind}@{f.Point}:{string.Join("/", f.Verdicts)}")),
        "no faults " + string.Join("/", summary.WithoutFaults.Verdicts),
        "histogram " + string.Join(" ", summary.SlackHistogram.Select(h => $"{h.BucketMs}:{h.Runs}")));
}
