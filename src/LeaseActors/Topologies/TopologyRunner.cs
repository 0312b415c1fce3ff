using LeaseActors.Judging;
using LeaseActors.Simulation;

namespace LeaseActors.Topologies;

/// <summary>Runs a topology once on a simulation driver and judges the run.</summary>
public static class TopologyRunner
{
    /// <summary>
    /// Runs <paramref name="topology"/> under <paramref name="policy"/> (null: the topology's own, else mainline) with
    /// <paramref name="seed"/>, and returns the judged report.
    /// </summary>
    /// <exception cref="ArgumentException">The policy is unknown or not implemented.</exception>
    public static RunReport Run(SimulationDriver driver, Topology topology, string? policy, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(topology);
        var chosen = Policies.Require(policy ?? topology.Policy ?? Policies.Mainline);
        var kernelPolicy = Policies.Get(chosen);
        var scenario = topology.Scenario with { Options = topology.Scenario.Options with { Policy = kernelPolicy } };
        RunJudge? judge = null;
        var result = driver.Run(new RunOptions { Seed = seed, Horizon = topology.Horizon }, run =>
        {
            judge = new RunJudge(run.Trace, kernelPolicy);
            return scenario.RootProps(run);
        });
        if (result.Failures.Length > 0)
            throw new InvalidOperationException("the emulated kernel failed: " + string.Join("; ", result.Failures));
        return judge!.Judge(result, topology, chosen);
    }
}
