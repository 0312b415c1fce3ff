using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using LeaseActors.Chaos;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>What every campaign bench mode prints and loads: the machine's load, the scenario's files, the argument parser.</summary>
internal static class BenchEnvironment
{
    public static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-config-on-start = off
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """);

    /// <summary>The first three fields of /proc/loadavg (1, 5, 15 minutes), or "n/a".</summary>
    public static string Load()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>A line saying when, on what and how loaded: printed before and after every measurement.</summary>
    public static string Stamp() => string.Create(CultureInfo.InvariantCulture,
        $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z load average (1/5/15 min) {Load()}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; server GC {System.Runtime.GCSettings.IsServerGC}; gen-0 budget {(LeaseActors.Campaigns.CampaignProcess.Gen0Budget is { } budget ? $"{budget >> 20} MiB per heap (DOTNET_GCgen0size)" : "the runtime's own")}");

    /// <summary>The value after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="fallback"/>.</summary>
    public static string Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    public static double Number(string[] args, string name, double fallback) =>
        double.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>The repository's root: the first directory upwards from the current one that has configs/topologies.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "configs", "topologies"))) return dir.FullName;
        throw new InvalidOperationException("run the campaign benches from inside the repository (configs/topologies was not found upwards)");
    }

    /// <summary>The scenario from <c>--topology</c>, <c>--chaos</c> (<c>none</c>: the topology's own block) and <c>--policy</c>.</summary>
    public static (Topology Topology, ChaosPlan? Plan, string Policy, string Description) Scenario(string[] args)
    {
        var root = RepositoryRoot();
        var topologyPath = Option(args, "--topology", Path.Combine(root, "configs/topologies/rdma-seed.conf"));
        var chaosPath = Option(args, "--chaos", Path.Combine(root, "configs/chaos/delays.conf"));
        var policy = Option(args, "--policy", "mr-holds-lease");
        var topology = TopologyParser.ParseFile(topologyPath);
        var plan = chaosPath == "none" ? null : ChaosPlanParser.ParseFile(chaosPath);
        return (topology, plan, policy, $"{Path.GetFileName(topologyPath)} --policy {policy} --chaos {(plan is null ? "(topology's own)" : Path.GetFileName(chaosPath))}");
    }

    public static ActorSystem SimulationSystem(string name) => SimulationSetup.CreateSystem(name, Quiet);

    /// <summary>CPU time of the whole process so far.</summary>
    public static TimeSpan ProcessCpu() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>The value of a "Name:   123 kB" line of /proc/self/status in KiB, or -1.</summary>
    public static long StatusKiB(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
        return -1;
    }
}
