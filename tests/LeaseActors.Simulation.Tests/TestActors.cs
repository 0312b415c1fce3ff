using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

/// <summary>Small actors written the ordinary Akka.NET way; none of them knows about the engine.</summary>
internal static class TestActors
{
    public static Props PingPong(RunContext run, int rounds) => Props.Create(() => new PingPongRoot(run.Trace, rounds));

    /// <summary>Several senders race to a collector; the collector records arrival order.</summary>
    public static Props Race(RunContext run, int senders, int messagesEach) => Props.Create(() => new RaceRoot(run.Trace, senders, messagesEach));

    /// <summary>
    /// Like <see cref="Race"/>, but each sender sends one message per turn (messaging itself in between), so
    /// the collector's arrival order interleaves the senders' messages, not just their batches.
    /// </summary>
    public static Props Interleave(RunContext run, int senders, int messagesEach) =>
        Props.Create(() => new InterleaveRoot(run.Trace, senders, messagesEach));

    private sealed class InterleaveRoot : ReceiveActor
    {
        public InterleaveRoot(RunTrace trace, int senders, int each)
        {
            var collector = Context.ActorOf(Props.Create(() => new Collector(trace)), "collector");
            for (var i = 0; i < senders; i++)
            {
                var name = "s" + i;
                Context.ActorOf(Props.Create(() => new OneAtATimeSender(collector, name, each)), name).Tell(0);
            }
        }
    }

    private sealed class OneAtATimeSender : ReceiveActor
    {
        public OneAtATimeSender(IActorRef collector, string name, int each) =>
            Receive<int>(i =>
            {
                collector.Tell(name + ":" + i);
                if (i + 1 < each) Self.Tell(i + 1);
            });
    }

    private sealed class PingPongRoot : ReceiveActor
    {
        public PingPongRoot(RunTrace trace, int rounds)
        {
            var pong = Context.ActorOf(Props.Create(() => new Ponger(trace)), "pong");
            var ping = Context.ActorOf(Props.Create(() => new Pinger(trace, pong, rounds)), "ping");
            ping.Tell("start");
        }
    }

    private sealed class Pinger : ReceiveActor
    {
        public Pinger(RunTrace trace, IActorRef pong, int rounds)
        {
            var left = rounds;
            Receive<string>(_ => pong.Tell(left));
            Receive<int>(n =>
            {
                trace.Record(new TraceEvent("pong", ("n", n)));
                if (--left > 0) pong.Tell(left);
            });
        }
    }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger(RunTrace trace) => Receive<int>(n => Sender.Tell(n));
    }

    private sealed class RaceRoot : ReceiveActor
    {
        public RaceRoot(RunTrace trace, int senders, int each)
        {
            var collector = Context.ActorOf(Props.Create(() => new Collector(trace)), "collector");
            for (var i = 0; i < senders; i++)
            {
                var name = "s" + i;
                Context.ActorOf(Props.Create(() => new Sender(collector, name, each)), name).Tell("go");
            }
        }
    }

    private sealed class Sender : ReceiveActor
    {
        public Sender(IActorRef collector, string name, int each) =>
            Receive<string>(_ =>
            {
                for (var i = 0; i < each; i++) collector.Tell(name + ":" + i);
            });
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(RunTrace trace) => Receive<string>(s => trace.Record(new TraceEvent("got", ("from", s))));
    }
}
