using Akka.Actor;
using Akka.Configuration;

namespace LeaseActors.Simulation.Tests;

/// <summary>One simulation-ready ActorSystem and driver shared by the tests of a class (or owned by one test).</summary>
public sealed class SimulationFixture : IDisposable
{
    public SimulationFixture() : this(null) { }

    private SimulationFixture(Config? config)
    {
        System = SimulationSetup.CreateSystem("sim-tests", config);
        Driver = new SimulationDriver(System);
    }

    /// <summary>A fixture whose system is configured by <paramref name="config"/> (over SimulationSetup.Config).</summary>
    public static SimulationFixture With(Config config) => new(config);

    public ActorSystem System { get; }

    public SimulationDriver Driver { get; }

    public void Dispose()
    {
        Driver.Dispose();
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
