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
                IActorRef root;
                try
                {
                    root = Context.ActorOf(start.Root, "run");
                }
                catch (Exception e)
                {
                    // Props that Akka refuses at once (an unknown mailbox, a router that cannot run here…) are the
                    // run's failure, not the host's: a failing host would be restarted by the /user guardian on
                    // another thread, which the run would report as a leak instead of the actual mistake.
                    _driver.RootFailed(e);
                    return;
                }
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
