using Akka.Actor;

namespace LeaseActors.Simulation.Tests;

/// <summary>One simulation-ready ActorSystem and driver shared by the tests of a class.</summary>
public sealed class SimulationFixture : IDisposable
{
    public SimulationFixture()
    {
        System = SimulationSetup.CreateSystem("sim-tests");
        Driver = new SimulationDriver(System);
    }

    public ActorSystem System { get; }

    public SimulationDriver Driver { get; }

    public void Dispose()
    {
        Driver.Dispose();
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
