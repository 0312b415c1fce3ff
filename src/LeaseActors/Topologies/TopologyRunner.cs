using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Topologies;

/// <summary>Runs a topology once on a simulation driver and judges the run.</summary>
public static class TopologyRunner
{
    /// <summary>
    /// Runs <paramref name="topology"/> under <paramref name="policy"/> (null: the topology's own, else mainline) with
    /// <paramref name="seed"/>, and returns the judged report. The topology's own chaos block applies.
    /// </summary>
    /// <exception cref="ArgumentException">The policy is unknown.</exception>
    public static RunReport Run(SimulationDriver driver, Topology topology, string? policy, ulong seed) =>
        Run(driver, topology, policy, seed, TopologyRunSettings.Default);

    /// <summary>Runs <paramref name="topology"/> as the other overload does, with a strategy, a chaos plan or a fault script from <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentException">The policy is unknown.</exception>
    public static RunReport Run(SimulationDriver driver, Topology topology, string? policy, ulong seed, TopologyRunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(settings);
        var chosen = Policies.Require(policy ?? topology.Policy ?? Policies.Mainline);
        var kernelPolicy = Policies.Get(chosen);
        var plan = settings.Chaos ?? topology.ChaosPlan;
        var chaos = settings.Script is { } script ? new ChaosSettings(plan, seed, script) : plan.IsEmpty ? null : new ChaosSettings(plan, seed);
        var scenario = topology.Scenario with { Options = topology.Scenario.Options with { Policy = kernelPolicy, Chaos = chaos } };
        RunJudge? judge = null;
        var options = new RunOptions { Seed = seed, Horizon = topology.Horizon, Strategy = settings.Strategy };
        var result = driver.Run(options, run =>
        {
            judge = new RunJudge(run.Trace, kernelPolicy);
            return scenario.RootProps(run);
        });
        if (result.Failures.Length > 0)
            throw new InvalidOperationException("the emulated kernel failed: " + string.Join("; ", result.Failures));
        return judge!.Judge(result, topology, chosen);
    }
}

/// <summary>How <see cref="TopologyRunner"/> runs a topology beyond its seed and policy.</summary>
public sealed record TopologyRunSettings
{
    /// <summary>The topology's own chaos block, the seed's random schedule.</summary>
    public static TopologyRunSettings Default { get; } = new();

    /// <summary>A scheduling strategy (a replay, PCT, DFS); null: the seed's random strategy. Give each run its own instance.</summary>
    public ISchedulingStrategy? Strategy { get; init; }

    /// <summary>A chaos plan replacing the topology's own (<c>--chaos F</c>); null keeps the topology's.</summary>
    public ChaosPlan? Chaos { get; init; }

    /// <summary>Exactly these faults instead of sampling the plan (replaying or shrinking a run); null samples.</summary>
    public FaultScript? Script { get; init; }
}
