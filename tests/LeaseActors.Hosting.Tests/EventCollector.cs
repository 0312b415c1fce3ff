using Akka.Actor;
using LeaseActors.RealTime;

namespace LeaseActors.Hosting.Tests;

/// <summary>The ActorRegistry key of <see cref="EventCollector"/>.</summary>
public sealed class EventCollectorKey;

/// <summary>A custom monitor as an actor: it keeps the kernel events it receives from the event stream and answers <see cref="GetEvents"/>.</summary>
public sealed class EventCollector : ReceiveActor
{
    /// <summary>Asks for the events so far.</summary>
    public sealed record GetEvents;

    public EventCollector()
    {
        var events = new List<KernelEvent>();
        Receive<KernelEvent>(events.Add);
        Receive<GetEvents>(_ => Sender.Tell(events.ToArray()));
    }
}
