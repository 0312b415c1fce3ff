using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Probe;

/// <summary>
/// A run that exercises what differs between processes: a parent with 50 idle, unwatched children is stopped
/// while senders race to a collector and virtual timers fire. Akka stops the children in the order of a
/// dictionary keyed by their names, and .NET randomizes string hashes per process, so each child records its
/// PostStop: the trace shows the order in which the engine ran their Terminate messages.
/// </summary>
public static class ProbeScenario
{
    /// <summary>Children of the nursery that is stopped mid-run.</summary>
    public const int Children = 50;

    /// <summary>Actors racing to the collector.</summary>
    public const int Senders = 4;

    /// <summary>The root actor of one probe run.</summary>
    public static Props Root(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return PropsOf.Create(() => new RootActor(run));
    }

    /// <summary>Runs the scenario for <paramref name="seed"/> on <paramref name="driver"/>.</summary>
    public static RunResult Run(SimulationDriver driver, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(driver);
        return driver.Run(new RunOptions { Seed = seed }, Root);
    }

    private sealed class RootActor : ReceiveActor
    {
        public RootActor(RunContext run)
        {
            var trace = run.Trace;
            var collector = Context.ActorOf(PropsOf.Create(() => new Collector(trace)), "collector");
            var nursery = Context.ActorOf(PropsOf.Create(() => new Nursery(trace)), "nursery");
            Context.ActorOf(PropsOf.Create(() => new Watcher(trace, nursery)), "watcher");
            for (var i = 0; i < Senders; i++)
            {
                var name = "s" + i;
                var batch = 2 + run.Random.Next(3);
                Context.ActorOf(PropsOf.Create(() => new Sender(collector, name, batch)), name).Tell("go");
            }
            nursery.Tell("ready?");
            Receive<string>(s => s == "ready", _ =>
            {
                trace.Record(new TraceEvent("stopping", ("actor", "nursery")));
                Context.Stop(nursery);
            });
        }
    }

    /// <summary>Sends a batch now and another one second of virtual time later.</summary>
    private sealed class Sender : ReceiveActor, IWithTimers
    {
        public Sender(IActorRef collector, string name, int batch)
        {
            var round = 0;
            Receive<string>(_ =>
            {
                for (var i = 0; i < batch; i++) collector.Tell($"{name}:{round}:{i}");
                if (round++ == 0) Timers.StartSingleTimer("again", "again", TimeSpan.FromSeconds(1));
            });
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(RunTrace trace) => Receive<string>(s => trace.Record(new TraceEvent("got", ("m", s))));
    }

    private sealed class Nursery : ReceiveActor
    {
        private readonly RunTrace _trace;

        public Nursery(RunTrace trace)
        {
            _trace = trace;
            for (var i = 0; i < Children; i++)
            {
                var name = $"c{i:00}";
                Context.ActorOf(PropsOf.Create(() => new Child(trace, name)), name);
            }
            Receive<string>(_ => Sender.Tell("ready"));
        }

        protected override void PostStop() => _trace.Record(new TraceEvent("stopped", ("actor", "nursery")));
    }

    private sealed class Child : ReceiveActor
    {
        private readonly RunTrace _trace;
        private readonly string _name;

        public Child(RunTrace trace, string name)
        {
            _trace = trace;
            _name = name;
        }

        protected override void PostStop() => _trace.Record(new TraceEvent("stopped", ("actor", _name)));
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(RunTrace trace, IActorRef watched)
        {
            Context.Watch(watched);
            Receive<Terminated>(t => trace.Record(new TraceEvent("terminated", ("actor", t.ActorRef.Path.Name))));
        }
    }
}
