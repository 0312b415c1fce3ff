using Akka.Actor;
using Akka.Configuration;
using LeaseActors.Judging;
using LeaseActors.RealTime;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace StorageServer;

/// <summary>
/// Runs the storage-server topology under each policy over seeds 0 … N-1 — in the deterministic simulation (one
/// <see cref="SimulationDriver"/> on the calling thread, judged by <see cref="TopologyRunner"/>), or in real time on an
/// ordinary actor system with <see cref="RealTimeRunner"/> — and sums each policy's judged runs.
/// </summary>
internal static class StorageRuns
{
    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-config-on-start = off
        akka.log-dead-letters = off
        """);

    /// <summary>Every policy's summary, in the order of <see cref="StorageServerOptions.Policies"/>.</summary>
    public static IReadOnlyList<PolicySummary> Run(StorageServerOptions options, Topology topology, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topology);
        return options.RealTime ? RunRealTime(options, topology, progress) : RunSimulated(options, topology, progress);
    }

    private static List<PolicySummary> RunSimulated(StorageServerOptions options, Topology topology, TextWriter progress)
    {
        using var system = SimulationSetup.CreateSystem("storage-server", Quiet);
        var summaries = new List<PolicySummary>();
        try
        {
            using var driver = new SimulationDriver(system);
            foreach (var policy in options.Policies)
            {
                var summary = new PolicySummary(policy);
                for (var seed = 0UL; seed < (ulong)options.Seeds; seed++)
                    summary.Add(TopologyRunner.Run(driver, topology, policy, seed));
                progress.WriteLine($"  {policy}: {summary.VerdictText()}");
                summaries.Add(summary);
            }
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        return summaries;
    }

    private static List<PolicySummary> RunRealTime(StorageServerOptions options, Topology topology, TextWriter progress)
    {
        using var system = ActorSystem.Create("storage-server-realtime", Quiet);
        var summaries = new List<PolicySummary>();
        // Nothing may happen for a while in a healthy run (a handler at work, the interval): only a longer silence ends it.
        var longest = new[] { options.LeaseBreakTime, options.HandlerTime, options.Interval }.Max();
        try
        {
            foreach (var policy in options.Policies)
            {
                var summary = new PolicySummary(policy);
                for (var seed = 0UL; seed < (ulong)options.Seeds; seed++)
                {
                    var settings = new RealTimeRunSettings { Seed = seed, Quiet = longest + TimeSpan.FromSeconds(15) };
                    // A console program's Main is the only caller: blocking here on the one async run is the host's choice.
                    summary.Add(RealTimeRunner.RunAsync(system, topology, policy, settings).GetAwaiter().GetResult());
                }
                progress.WriteLine($"  {policy}: {summary.VerdictText()}");
                summaries.Add(summary);
            }
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        return summaries;
    }
}
