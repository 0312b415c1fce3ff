using Akka.Actor;

namespace LeaseActors.Simulation.Internal;

/// <summary>
/// The long-lived parent, one per driver, under which each run's root actor is created, watched and stopped,
/// so that one ActorSystem serves any number of runs. Its supervision stops a failing root and reports it.
/// </summary>
internal sealed class HostActor : UntypedActor
{
    private readonly SimulationDriver _driver;

    public HostActor(SimulationDriver driver) => _driver = driver;

    internal sealed record StartRun(Props Root);

    protected override void PreStart() => _driver.HostStarted();

    protected override void PostStop() => _driver.HostStopped();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StartRun start:
                var root = Context.ActorOf(start.Root, "run");
                Context.Watch(root);
                _driver.RootCreated(root);
                break;
            case Terminated terminated:
                _driver.RootTerminated(terminated.ActorRef);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(ex =>
        {
            _driver.RootFailed(ex);
            return Directive.Stop;
        }, loggingEnabled: false);
}
