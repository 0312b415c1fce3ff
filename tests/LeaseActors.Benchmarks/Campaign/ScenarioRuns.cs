using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// One topology run at the layers a campaign stacks on each other, so that their costs can be told apart:
/// <see cref="Raw"/> is the scenario alone on the driver (what <see cref="TopologyRunner"/> builds, without its
/// monitors); <see cref="WithMonitors"/> adds the <see cref="RunJudge"/> (FindingsMonitor, BreakMonitor,
/// RegionMonitor and the fault collector subscribed to the trace); <see cref="Judged"/> is what
/// <see cref="TopologyRunner.Run(SimulationDriver, Topology, string?, ulong, TopologyRunSettings)"/> does, with each
/// phase timed. The scenario set-up is copied from TopologyRunner (src/LeaseActors/Topologies/TopologyRunner.cs).
/// </summary>
internal sealed class ScenarioRuns(Topology topology, ChaosPlan? chaos, string policy)
{
    private readonly string _policy = Policies.Require(policy);
    private readonly KernelPolicy _kernelPolicy = Policies.Get(policy);
    private readonly ChaosPlan _plan = chaos ?? topology.ChaosPlan;

    public Topology Topology => topology;

    private (RunOptions Options, Scenario Scenario) Prepare(ulong seed)
    {
        var settings = _plan.IsEmpty ? null : new ChaosSettings(_plan, seed);
        var scenario = topology.Scenario with { Options = topology.Scenario.Options with { Policy = _kernelPolicy, Chaos = settings } };
        return (new RunOptions { Seed = seed, Horizon = topology.Horizon }, scenario);
    }

    /// <summary>The scenario alone: no monitors, no judgement, no trace hash.</summary>
    public RunResult Raw(SimulationDriver driver, ulong seed)
    {
        var (options, scenario) = Prepare(seed);
        return driver.Run(options, run => scenario.RootProps(run));
    }

    /// <summary>The scenario with the judge's monitors attached to its trace, not judged, no hash.</summary>
    public RunResult WithMonitors(SimulationDriver driver, ulong seed)
    {
        var (options, scenario) = Prepare(seed);
        var policy = _kernelPolicy;
        return driver.Run(options, run =>
        {
            _ = new RunJudge(run.Trace, policy);
            return scenario.RootProps(run);
        });
    }

    /// <summary>Phase times of one judged run, in Stopwatch ticks.</summary>
    public readonly record struct Phases(long Run, long Hash, long Judge, long Steps, long Timers, int Events, long Allocated, Verdict Verdict);

    /// <summary>What TopologyRunner.Run does, phase by phase: the run with monitors, the trace's SHA-256, the judgement (with the expectation check).</summary>
    public Phases Judged(SimulationDriver driver, ulong seed)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var (options, scenario) = Prepare(seed);
        RunJudge? judge = null;
        var policy = _kernelPolicy;
        var result = driver.Run(options, run =>
        {
            judge = new RunJudge(run.Trace, policy);
            return scenario.RootProps(run);
        });
        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        _ = result.TraceSha256;
        var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        var report = judge!.Judge(result, topology, _policy);
        var t3 = System.Diagnostics.Stopwatch.GetTimestamp();
        return new Phases(t1 - t0, t2 - t1, t3 - t2, result.Steps, result.TimersFired, result.Trace.Entries.Count,
            GC.GetAllocatedBytesForCurrentThread() - allocated, report.Verdict);
    }

    /// <summary>The real thing.</summary>
    public RunReport TopologyRunnerRun(SimulationDriver driver, ulong seed) =>
        TopologyRunner.Run(driver, topology, _policy, seed, new TopologyRunSettings { Chaos = _plan.IsEmpty ? null : _plan });
}
