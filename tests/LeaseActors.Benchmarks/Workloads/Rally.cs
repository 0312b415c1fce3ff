using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Benchmarks.Workloads;

/// <summary>
/// Ping-pong with exactly one message in flight: a server actor and its returner child bat one immutable
/// ball back and forth until a given number of messages has been delivered. The same two actor classes run
/// inside a simulation (on the driver's deterministic dispatcher) and in a plain ActorSystem (on Akka's
/// default dispatcher), so the two measurements differ only in the dispatcher.
/// </summary>
internal static class Rally
{
    /// <summary>Starts a rally of <paramref name="Messages"/> deliveries (an even number); <paramref name="Done"/> is completed at the end.</summary>
    public sealed record Serve(int Messages, TaskCompletionSource<int>? Done);

    /// <summary>The ball; one instance, so the measurement contains no message allocation.</summary>
    public sealed record Ball
    {
        public static Ball Instance { get; } = new();
    }

    /// <summary>A server that starts a rally of <paramref name="messages"/> by itself and records <c>rally.done</c> in <paramref name="trace"/>.</summary>
    public static Props Simulated(RunTrace trace, int messages) => Props.Create(() => new Server(trace, messages));

    /// <summary>A server that waits for <see cref="Serve"/> messages (for a plain ActorSystem).</summary>
    public static Props Plain() => Props.Create(() => new Server(null, 0));

    /// <summary>Owns the count of messages still to deliver; accepts <see cref="Serve"/> and <see cref="Ball"/>, emits <see cref="Ball"/>.</summary>
    private sealed class Server : UntypedActor
    {
        private readonly RunTrace? _trace;
        private readonly int _initial;
        private readonly IActorRef _returner;
        private int _left; // deliveries still to make, counting the ball in flight
        private TaskCompletionSource<int>? _done;
        private int _served;

        public Server(RunTrace? trace, int initial)
        {
            _trace = trace;
            _initial = initial;
            _returner = Context.ActorOf(Props.Create(() => new Returner()), "returner");
        }

        protected override void PreStart()
        {
            if (_initial > 0) Start(_initial, null);
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Ball:
                    _left -= 2; // the ball went there and came back
                    if (_left > 0)
                    {
                        _returner.Tell(Ball.Instance, Self);
                    }
                    else
                    {
                        _trace?.Record(new TraceEvent("rally.done", ("messages", _served)));
                        _done?.TrySetResult(_served);
                    }
                    break;
                case Serve serve:
                    Start(serve.Messages, serve.Done);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }

        private void Start(int messages, TaskCompletionSource<int>? done)
        {
            if (messages < 2 || messages % 2 != 0)
                throw new ArgumentOutOfRangeException(nameof(messages), messages, "A rally needs an even number of messages, at least 2.");
            _served = messages;
            _done = done;
            _left = messages;
            _returner.Tell(Ball.Instance, Self);
        }
    }

    /// <summary>Stateless; returns every <see cref="Ball"/> to its sender.</summary>
    private sealed class Returner : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is Ball) Sender.Tell(Ball.Instance, Self);
            else Unhandled(message);
        }
    }
}
