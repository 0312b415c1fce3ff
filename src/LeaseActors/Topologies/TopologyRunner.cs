using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Kernel;
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

    /// <summary>
    /// Runs <paramref name="topology"/> as the other overload does, with a strategy, a chaos plan, a fault script or a
    /// custom policy (<see cref="TopologyRunSettings.Policy"/>) from <paramref name="settings"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The policy is unknown, or contradicts <see cref="TopologyRunSettings.Policy"/>.</exception>
    public static RunReport Run(SimulationDriver driver, Topology topology, string? policy, ulong seed, TopologyRunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(settings);
        var (chosen, kernelPolicy) = Resolve(policy, topology, settings.Policy);
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

    /// <summary>
    /// The policy of a run: <paramref name="custom"/> when given (any <see cref="KernelPolicy"/>, not only one of
    /// <see cref="KernelPolicies.All"/>; a <paramref name="name"/> given too must be its name), else the named one.
    /// </summary>
    internal static (string Name, KernelPolicy Policy) Resolve(string? name, Topology topology, KernelPolicy? custom)
    {
        if (custom is null)
        {
            var chosen = Policies.Require(name ?? topology.Policy ?? Policies.Mainline);
            return (chosen, Policies.Get(chosen));
        }
        if (string.IsNullOrWhiteSpace(custom.Name)) throw new ArgumentException("A custom policy needs a name (reports and expectations refer to it).");
        if (name is not null && name != custom.Name)
            throw new ArgumentException($"policy '{name}' was asked for, but the settings give the policy object '{custom.Name}'");
        return (custom.Name, custom);
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

    /// <summary>
    /// A policy object to run under instead of a named one: typically a <see cref="KernelPolicy"/> of the caller's own
    /// (a record <c>with</c> changes to one of <see cref="KernelPolicies.All"/>), which the policy-name argument cannot
    /// name. The report's <see cref="Judging.RunReport.Policy"/> is its <see cref="KernelPolicy.Name"/>, and a topology's
    /// <c>expect.&lt;name&gt;</c> block applies to it. Null: the named policy.
    /// </summary>
    public KernelPolicy? Policy { get; init; }
}
