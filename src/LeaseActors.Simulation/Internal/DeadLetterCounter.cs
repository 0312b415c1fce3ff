using Akka.Actor;
using Akka.Event;

namespace LeaseActors.Simulation.Internal;

/// <summary>
/// Subscribed to <see cref="DeadLetter"/> on the event stream. Akka publishes a dead letter synchronously on
/// the sender's thread, so a dead letter sent from inside a run arrives here on that run's driver thread and is
/// counted in that run.
/// </summary>
internal sealed class DeadLetterCounter : MinimalActorRef
{
    private readonly SimulationDriver _driver;

    public DeadLetterCounter(SimulationDriver driver, IActorRefProvider provider, ActorPath path)
    {
        _driver = driver;
        Provider = provider;
        Path = path;
    }

    public override IActorRefProvider Provider { get; }

    public override ActorPath Path { get; }

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is DeadLetter dead) _driver.OnDeadLetter(dead);
    }
}
