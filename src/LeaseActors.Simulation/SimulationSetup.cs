using Akka.Actor;
using Akka.Configuration;

namespace LeaseActors.Simulation;

/// <summary>
/// Creates an <see cref="ActorSystem"/> that can host simulation runs: Akka's scheduler is replaced by
/// <see cref="SimulationScheduler"/>, which gives virtual time on driver threads and real time elsewhere.
/// </summary>
public static class SimulationSetup
{
    /// <summary>
    /// The configuration a hosting system needs (use it as a fallback under your own): the scheduler, dead letters
    /// counted by the engine instead of logged one by one, and a default mailbox that gives a run's actors a plain
    /// queue (Akka's own for every other actor).
    /// </summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString("""
        akka.scheduler.implementation = "LeaseActors.Simulation.SimulationScheduler, LeaseActors.Simulation"
        akka.actor.default-mailbox.mailbox-type = "LeaseActors.Simulation.Dispatch.SimulationMailboxType, LeaseActors.Simulation"
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """);

    /// <summary>Creates an actor system configured by <paramref name="config"/> with <see cref="Config"/> as its fallback.</summary>
    public static ActorSystem CreateSystem(string name = "leaseactors", Config? config = null) =>
        ActorSystem.Create(name, (config ?? Akka.Configuration.Config.Empty).WithFallback(Config));
}
