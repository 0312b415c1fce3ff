using Akka.Actor;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Simulation;

namespace LeaseActors.Testing;

/// <summary>
/// One simulation actor system and one driver, shared by the runs of a test class (xUnit: <c>IClassFixture&lt;KernelFixture&gt;</c>).
/// Runs on it are deterministic and run one at a time on the calling thread.
/// </summary>
/// <remarks>
/// <see cref="ScenarioBuilder.Simulate(ulong, KernelFixture?)"/> makes a fixture of its own when given none; pass one to
/// save the cost of an actor system per call (about 50 ms) when a class runs many scenarios.
/// </remarks>
public sealed class KernelFixture : IDisposable
{
    private static int s_systems;

    /// <summary>Creates the actor system (with the virtual-time scheduler) and its driver.</summary>
    public KernelFixture()
    {
        System = SimulationSetup.CreateSystem("leaseactors-testing-" + Interlocked.Increment(ref s_systems));
        Driver = new SimulationDriver(System);
    }

    /// <summary>The actor system runs are made in.</summary>
    public ActorSystem System { get; }

    /// <summary>The driver that makes the runs.</summary>
    public SimulationDriver Driver { get; }

    /// <summary>
    /// Runs <paramref name="scenario"/> once with <paramref name="seed"/> (the judging monitors attached, so findings
    /// appear in the trace) and returns its trace. Unlike <see cref="ScenarioBuilder.Simulate(ulong, KernelFixture?)"/>
    /// it does not judge the run: a kernel-level test that only asks about the trace needs no verdict.
    /// </summary>
    /// <exception cref="LeaseActorsAssertionException">An actor of the run failed (an emulator bug or a refused scenario).</exception>
    public TraceView Run(Scenario scenario, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var result = Driver.Run(new RunOptions { Seed = seed }, run =>
        {
            _ = new RunJudge(run.Trace, scenario.Options.Policy); // its monitors add findings to the trace
            return scenario.RootProps(run);
        });
        LeaseActorsAssertionException.That(result.Failures.IsEmpty, () => $"the run of seed {seed} failed: {string.Join("; ", result.Failures)}");
        return new TraceView(result);
    }

    /// <summary>Stops the driver and terminates the actor system.</summary>
    public void Dispose()
    {
        Driver.Dispose();
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
