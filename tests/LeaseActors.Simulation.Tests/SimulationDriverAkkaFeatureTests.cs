using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Routing;
using Akka.Util;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

/// <summary>
/// AKKA-SIMULATION-NOTES "Stays on the driver thread": Stash/Become, ActorSelection/Identify and logging work
/// inside a run, with no leak, and give the same trace for the same seed.
/// </summary>
public sealed class SimulationDriverAkkaFeatureTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void Stash_and_Become_work_deterministically()
    {
        var results = RunAssert.Deterministic(fixture.Driver, run => Props.Create(() => new GateRoot(run.Trace)));

        foreach (var result in results)
        {
            Assert.Equal(
                ["stashed m=1", "stashed m=2", "opened", "passed m=1", "passed m=2", "passed m=3", "closed", "stashed m=4"],
                RunAssert.Lines(result));
        }
    }

    [Fact]
    public void ActorSelection_and_Identify_work_deterministically()
    {
        var results = RunAssert.Deterministic(fixture.Driver, run => Props.Create(() => new Selector(run.Trace)));

        foreach (var result in results)
        {
            var lines = RunAssert.Lines(result);
            Assert.Equal(
            [
                "greeted actor=a", "identity id=* subject=a", "identity id=* subject=b", "identity id=a subject=a",
                "identity id=absolute subject=b", "identity id=missing subject=",
            ], lines.Order());
            Assert.Equal(0, result.DeadLetters);
        }
        Assert.True(results.Select(r => r.TraceSha256).Distinct().Count() > 1, "the seeds should order the replies differently");
    }

    [Fact]
    public void Logging_inside_a_run_leaks_nothing_and_leaves_the_trace_deterministic()
    {
        // Every level enabled and published; the TraceLogger writes to System.Diagnostics.Trace, which is silent.
        using var logging = SimulationFixture.With(ConfigurationFactory.ParseString("""
            akka.loglevel = DEBUG
            akka.loggers = ["Akka.Event.TraceLogger, Akka"]
            """));

        var results = RunAssert.Deterministic(logging.Driver, run => Props.Create(() => new Chatty(run.Trace)), seeds: 5);

        Assert.All(results, r => Assert.Equal(["logged n=4"], RunAssert.Lines(r)));
    }

    [Fact]
    public void Pool_routers_run_on_the_drivers_dispatcher_deterministically()
    {
        // Regression: Akka runs a router's own actor on the dispatcher named by its RouterConfig (the default
        // dispatcher), not the deployment's, so a pool created in a run created its routees on the thread pool,
        // the run's root could not stop, and the driver refused every later run ("actors left over").
        var results = RunAssert.Deterministic(fixture.Driver, run => Props.Create(() => new PoolUser(run.Trace)));

        foreach (var result in results)
        {
            var lines = RunAssert.Lines(result);
            Assert.Equal(6, lines.Count(l => l.StartsWith("work", StringComparison.Ordinal)));
            Assert.All(lines.Where(l => l.StartsWith("work", StringComparison.Ordinal)),
                l => Assert.EndsWith($"dispatcher={fixture.Driver.DispatcherId}", l, StringComparison.Ordinal));
            Assert.Equal("terminated actor=pool", lines[^1]);
        }
        Assert.True(results.Select(r => r.TraceSha256).Distinct().Count() > 1, "the seeds should interleave the routees differently");
    }

    [Fact]
    public void Group_and_broadcast_routers_run_deterministically()
    {
        var results = RunAssert.Deterministic(fixture.Driver, run => Props.Create(() => new GroupUser(run.Trace)));

        Assert.All(results, r => Assert.Equal(
            ["work actor=w0 i=0", "work actor=w0 i=3", "work actor=w0 i=9", "work actor=w1 i=1", "work actor=w1 i=4",
             "work actor=w1 i=9", "work actor=w2 i=2", "work actor=w2 i=5", "work actor=w2 i=9"],
            RunAssert.Lines(r).Select(l => l[..l.IndexOf(" dispatcher", StringComparison.Ordinal)]).Order()));
    }

    [Fact]
    public void A_router_that_cannot_be_moved_to_the_drivers_dispatcher_is_refused_with_a_message_naming_it()
    {
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new CustomRouterUser()));

        var failure = Assert.Single(result.Failures);
        Assert.Contains($"NotSupportedException: The router {typeof(FixedGroup).FullName} cannot run inside a simulation", failure, StringComparison.Ordinal);
        Assert.Contains("WithDispatcher(string)", failure, StringComparison.Ordinal);
    }

    private sealed class Worker : ReceiveActor
    {
        public Worker(RunTrace trace) =>
            Receive<int>(i =>
            {
                trace.Record(new TraceEvent("work", ("actor", Self.Path.Name), ("i", i), ("dispatcher", Context.Dispatcher.Id)));
                Sender.Tell("done");
            });
    }

    private sealed class PoolUser : ReceiveActor
    {
        public PoolUser(RunTrace trace)
        {
            var pool = Context.ActorOf(Props.Create(() => new Worker(trace)).WithRouter(new RoundRobinPool(3)), "pool");
            for (var i = 0; i < 6; i++) pool.Tell(i);
            Context.Watch(pool);
            var done = 0;
            Receive<string>(_ =>
            {
                if (++done == 6) pool.Tell(PoisonPill.Instance);
            });
            Receive<Terminated>(t => trace.Record(new TraceEvent("terminated", ("actor", t.ActorRef.Path.Name))));
        }
    }

    private sealed class GroupUser : ReceiveActor
    {
        public GroupUser(RunTrace trace)
        {
            var paths = Enumerable.Range(0, 3)
                .Select(i => Context.ActorOf(Props.Create(() => new Worker(trace)), "w" + i).Path.ToStringWithoutAddress()).ToList();
            var group = Context.ActorOf(Props.Empty.WithRouter(new RoundRobinGroup(paths)), "group");
            var broadcast = Context.ActorOf(Props.Empty.WithRouter(new BroadcastGroup(paths)), "broadcast");
            for (var i = 0; i < 6; i++) group.Tell(i);
            broadcast.Tell(9);
        }
    }

    private sealed class CustomRouterUser : ReceiveActor
    {
        public CustomRouterUser() => Context.ActorOf(Props.Empty.WithRouter(new FixedGroup()), "custom");
    }

    /// <summary>A router written without a WithDispatcher method, as a custom one might be.</summary>
    private sealed class FixedGroup : Group
    {
        public FixedGroup() : base(["/nowhere"], Akka.Dispatch.Dispatchers.DefaultDispatcherId) { }

        public override Router CreateRouter(ActorSystem system) => new(new RoundRobinRoutingLogic());

        public override IEnumerable<string> GetPaths(ActorSystem system) => ["/nowhere"];

        public override ISurrogate ToSurrogate(ActorSystem system) => throw new NotSupportedException();
    }

    private sealed class GateRoot : ReceiveActor
    {
        public GateRoot(RunTrace trace)
        {
            var gate = Context.ActorOf(Props.Create(() => new Gate(trace)), "gate");
            foreach (var m in new[] { "1", "2", "open", "3", "close", "4" }) gate.Tell(m);
        }
    }

    /// <summary>Stashes messages while closed; "open" becomes open and unstashes, "close" goes back.</summary>
    private sealed class Gate : ReceiveActor, IWithUnboundedStash
    {
        private readonly RunTrace _trace;

        public Gate(RunTrace trace)
        {
            _trace = trace;
            Closed();
        }

        public IStash Stash { get; set; } = null!;

        private void Closed()
        {
            Receive<string>(m => m == "open", _ =>
            {
                _trace.Record(new TraceEvent("opened"));
                Become(Open);
                Stash.UnstashAll();
            });
            Receive<string>(m =>
            {
                _trace.Record(new TraceEvent("stashed", ("m", m)));
                Stash.Stash();
            });
        }

        private void Open()
        {
            Receive<string>(m => m == "close", _ =>
            {
                _trace.Record(new TraceEvent("closed"));
                Become(Closed);
            });
            Receive<string>(m => _trace.Record(new TraceEvent("passed", ("m", m))));
        }
    }

    private sealed class Selector : ReceiveActor
    {
        public Selector(RunTrace trace)
        {
            Context.ActorOf(Props.Create(() => new Greeted(trace, "a")), "a");
            Context.ActorOf(Props.Create(() => new Greeted(trace, "b")), "b");
            Context.ActorSelection("a").Tell("hello");
            Context.ActorSelection("a").Tell(new Identify("a"));
            Context.ActorSelection(Self.Path / "b").Tell(new Identify("absolute"));
            Context.ActorSelection("missing").Tell(new Identify("missing"));
            Context.ActorSelection("*").Tell(new Identify("*"));
            Receive<ActorIdentity>(identity => trace.Record(new TraceEvent("identity",
                ("id", identity.MessageId), ("subject", identity.Subject?.Path.Name ?? ""))));
        }
    }

    private sealed class Greeted : ReceiveActor
    {
        public Greeted(RunTrace trace, string name) =>
            Receive<string>(_ => trace.Record(new TraceEvent("greeted", ("actor", name))));
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty(RunTrace trace)
        {
            var log = Context.GetLogger();
            log.Debug("debug {0}", 1);
            log.Info("info {0}", 2);
            log.Warning("warning {0}", 3);
            log.Error(new InvalidOperationException("not really"), "error {0}", 4);
            trace.Record(new TraceEvent("logged", ("n", 4)));
        }
    }
}
