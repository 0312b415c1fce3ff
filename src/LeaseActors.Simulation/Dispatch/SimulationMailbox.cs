using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace LeaseActors.Simulation.Dispatch;

/// <summary>
/// The default mailbox of a system made with <see cref="SimulationSetup.Config"/>: an actor of a simulation run (any
/// actor below a driver's host, <c>/user/leaseactors-sim-N/…</c>) gets a plain queue; every other actor gets Akka's
/// own unbounded queue.
/// </summary>
/// <remarks>
/// <para>
/// Akka's default queue is a <c>ConcurrentQueue</c>, whose first segment alone is about 800 bytes, and which pays for
/// interlocked operations on every message. A run creates its actors anew, and that segment was about a twelfth of what
/// a campaign run allocated. A run's actors need no concurrent queue: every message for them is enqueued on the
/// driving thread (<see cref="SimulationDispatcher"/> hands a message sent from any other thread to the driver, which
/// enqueues it on its own thread), and their mailboxes run only there; a driver is driven by one thread at a time,
/// and passes from one to the next through its lock.
/// </para>
/// <para>
/// Only the default mailbox is replaced: an actor that asks for a mailbox type (<c>Props.WithMailbox</c> naming one, a
/// stash's deque, a bounded mailbox) still gets the one it asks for.
/// </para>
/// </remarks>
internal sealed class SimulationMailboxType : MailboxType, IProducesMessageQueue<SimulationMessageQueue>
{
    /// <summary>The names of live drivers' host actors (each driver's name is unique in the process).</summary>
    private static readonly ConcurrentDictionary<string, byte> Hosts = new(StringComparer.Ordinal);

    public SimulationMailboxType(Settings settings, Config config) : base(settings, config)
    {
    }

    public static void AddHost(string name) => Hosts[name] = 0;

    public static void RemoveHost(string name) => Hosts.TryRemove(name, out _);

    /// <summary>
    /// The plain queue for an actor that runs on a driver's dispatcher below its host; Akka's own for any other (a user
    /// deployment that moved part of a run to another dispatcher keeps the concurrent queue its threads need).
    /// </summary>
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) =>
        owner is ActorRefWithCell { Underlying: ActorCell { Dispatcher: SimulationDispatcher } } && IsInRun(owner.Path)
            ? new SimulationMessageQueue()
            : new UnboundedMessageQueue();

    /// <summary>Whether <paramref name="path"/> is <c>/user/&lt;a live driver's host&gt;/…</c>, below the host.</summary>
    internal static bool IsInRun(ActorPath path)
    {
        ActorPath? top = null, second = null;
        var depth = 0;
        for (var p = path; p is ChildActorPath; p = p.Parent)
        {
            second = top;
            top = p;
            depth++;
        }
        return depth >= 3 && top!.Name == "user" && Hosts.ContainsKey(second!.Name);
    }
}

/// <summary>A run actor's messages, first in first out, for one thread at a time (see <see cref="SimulationMailboxType"/>).</summary>
internal sealed class SimulationMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Queue<Envelope> _queue = new();

    public bool HasMessages => _queue.Count > 0;

    public int Count => _queue.Count;

    public void Enqueue(IActorRef receiver, Envelope envelope) => _queue.Enqueue(envelope);

    public bool TryDequeue(out Envelope envelope) => _queue.TryDequeue(out envelope);

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        ArgumentNullException.ThrowIfNull(deadletters);
        while (_queue.TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }
}
