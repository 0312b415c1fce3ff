using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using LeaseActors.Simulation.Dispatch;

namespace LeaseActors.Simulation.Tests.Dispatch;

/// <summary>
/// A run's actors get the simulation's plain queue as their default mailbox; an actor that asks for a mailbox gets
/// the one it asks for, and actors outside runs keep Akka's concurrent queue.
/// </summary>
public sealed class SimulationMailboxTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void A_run_s_actors_get_the_plain_queue_and_an_actor_that_asks_for_a_mailbox_gets_its_own()
    {
        var queues = new Dictionary<string, string>();
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new Reporter(queues)));

        Assert.Empty(result.Failures);
        Assert.Equal(nameof(SimulationMessageQueue), queues["root"]);
        Assert.Equal(nameof(SimulationMessageQueue), queues["child"]);
        Assert.Equal(nameof(UnboundedDequeMessageQueue), queues["stashing"]);
        Assert.Equal(nameof(UnboundedDequeMessageQueue), queues["asked"]);
        // Messages still arrive in order, and the stash still works on its deque.
        Assert.Equal("1 2 3 stashed", queues["heard"]);
    }

    [Fact]
    public async Task An_actor_outside_the_runs_keeps_akka_s_concurrent_queue()
    {
        var probe = fixture.System.ActorOf(Props.Create(() => new Plain()), "outside-" + Guid.NewGuid().ToString("N"));
        var queue = await probe.Ask<string>("queue", TimeSpan.FromSeconds(10));

        Assert.Equal(nameof(UnboundedMessageQueue), queue);
        fixture.System.Stop(probe);
    }

    [Fact]
    public void Only_paths_below_a_live_driver_s_host_count_as_in_a_run()
    {
        var root = new RootActorPath(new Address("akka", "sys"));
        var host = root / "user" / fixture.Driver.Name;

        Assert.True(SimulationMailboxType.IsInRun(host / "run"));
        Assert.True(SimulationMailboxType.IsInRun(host / "run" / "kernel"));
        Assert.False(SimulationMailboxType.IsInRun(host));
        Assert.False(SimulationMailboxType.IsInRun(root / "user" / "leaseactors-sim-999999" / "run"));
        Assert.False(SimulationMailboxType.IsInRun(root / "system" / fixture.Driver.Name / "run"));
    }

    private static string QueueOf(IActorContext context) => ((ActorCell)context).Mailbox!.MessageQueue.GetType().Name;

    private sealed class Reporter : UntypedActor
    {
        private readonly Dictionary<string, string> _queues;
        private readonly List<string> _heard = [];

        public Reporter(Dictionary<string, string> queues)
        {
            _queues = queues;
            _queues["root"] = QueueOf(Context);
            var child = Context.ActorOf(Props.Create(() => new Plain()), "child");
            var stashing = Context.ActorOf(Props.Create(() => new Stashing()), "stashing");
            Context.ActorOf(Props.Create(() => new Plain()).WithMailbox("akka.actor.mailbox.unbounded-deque-based"), "asked").Tell("queue");
            child.Tell("queue");
            stashing.Tell("queue");
            stashing.Tell("later");
            stashing.Tell("open");
            Self.Tell("1");
            Self.Tell("2");
            Self.Tell("3");
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case string text when text.StartsWith("queue:", StringComparison.Ordinal):
                    _queues[Sender.Path.Name] = text["queue:".Length..];
                    break;
                case string text:
                    _heard.Add(text);
                    _queues["heard"] = string.Join(" ", _heard);
                    break;
            }
        }
    }

    private sealed class Plain : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            // Inside a run the reply names the queue for the reporter; outside it answers an Ask with the bare name.
            if (message is "queue") Sender.Tell(Context.Parent.Path.Name == "user" ? QueueOf(Context) : "queue:" + QueueOf(Context));
        }
    }

    private sealed class Stashing : UntypedActor, IWithUnboundedStash
    {
        public IStash Stash { get; set; } = null!;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "queue": Sender.Tell("queue:" + QueueOf(Context)); break;
                case "open":
                    Stash.UnstashAll();
                    Become(Open);
                    break;
                default: Stash.Stash(); break;
            }
        }

        private void Open(object message)
        {
            if (message is "later") Context.Parent.Tell("stashed");
        }
    }
}
