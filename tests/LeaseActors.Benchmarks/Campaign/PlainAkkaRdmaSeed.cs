using Akka.Actor;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// The RDMA seed scenario (configs/topologies/rdma-seed.conf under mr-holds-lease, delays of configs/chaos/delays.conf)
/// written as ordinary Akka.NET actors on Akka's default dispatcher and scheduler, without the simulation layer,
/// the emulated kernel, a trace or monitors: A opens the file, takes the layout lease, opens a verbs context and
/// registers a region (which pins the blocks), passes the context to B over the socket and exits; C, waiting for A's
/// exit, truncates; the inode breaks the lease and signals the context's holder, B; B's handler deregisters the
/// region; the pins go, the lease goes and the truncate completes; C exits, then B (its 2-minute sleep is one
/// message). A run is one root actor under the system's /user guardian, done when A, B and C have exited.
/// </summary>
public static class PlainAkkaRdmaSeed
{
    /// <summary>Runs one scenario and waits for its verdict (0 clean, 2 late).</summary>
    public static int RunOnce(ActorSystem system, int seed)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new Root(seed, done)));
        return done.Task.GetAwaiter().GetResult();
    }

    // Messages. Each is an immutable record, as an Akka.NET application's would be.
    private sealed record Open(IActorRef Process);
    private sealed record Opened(int Fd);
    private sealed record TakeLayoutLease(int Fd);
    private sealed record LeaseTaken;
    private sealed record VerbsOpen(IActorRef Process);
    private sealed record VerbsOpened(IActorRef Context);
    private sealed record RegMr(IActorRef Process, IActorRef Inode);
    private sealed record MrRegistered(int Handle);
    private sealed record Pin(IActorRef Region, IActorRef Context, int Blocks);
    private sealed record Pinned;
    private sealed record RegionUp(IActorRef Process);
    private sealed record DmaWrite(int Remaining);
    private sealed record SendFds(IActorRef Context);
    private sealed record Sent;
    private sealed record Delivered(IActorRef Context);
    private sealed record SetHolder(IActorRef Process);
    private sealed record Close(int Fd);
    private sealed record Exited(string Process, int Verdict);
    private sealed record AExited;
    private sealed record Truncate(IActorRef Process, int Length);
    private sealed record Break(double StartMs, double DeadlineMs);
    private sealed record Signal(int Number, double AtMs, IActorRef Context);
    private sealed record HandlerTakes(double UntilMs);
    private sealed record DeregMr(IActorRef Handler, double AtMs);
    private sealed record Teardown(double AtMs);
    private sealed record Unpin(double AtMs);
    private sealed record Deregistered;
    private sealed record HandlerDone;
    private sealed record Truncated(int Verdict);
    private sealed record Sleep;

    private sealed class Root : ReceiveActor
    {
        private readonly TaskCompletionSource<int> _done;
        private int _exited;
        private int _verdict;

        public Root(int seed, TaskCompletionSource<int> done)
        {
            _done = done;
            var (signalDelay, handlerDelay) = RdmaSeedModel.SampleDelays(new Random(seed));
            var inode = Context.ActorOf(Props.Create(() => new Inode()), "inode");
            var self = Self;
            var b = Context.ActorOf(Props.Create(() => new ProcessB(self, signalDelay, handlerDelay)), "B");
            var socket = Context.ActorOf(Props.Create(() => new Socket(b)), "ab");
            Context.ActorOf(Props.Create(() => new ProcessA(self, inode, socket)), "A");
            var c = Context.ActorOf(Props.Create(() => new ProcessC(self, inode)), "C");
            Receive<VerbsOpen>(m => m.Process.Tell(new VerbsOpened(Context.ActorOf(Props.Create(() => new VerbsContext()), "ctx"))));
            Receive<Exited>(m =>
            {
                if (m.Process == "A") c.Tell(new AExited());
                _verdict = Math.Max(_verdict, m.Verdict);
                if (++_exited < 3) return;
                Context.Stop(Self);
                _done.TrySetResult(_verdict);
            });
        }
    }

    private sealed class Inode : ReceiveActor
    {
        private int _nextFd = 3;
        private int _openFds;
        private bool _lease;
        private IActorRef? _region;
        private IActorRef? _context;
        private IActorRef? _truncater;
        private double _deadline;

        public Inode()
        {
            Receive<Open>(m => { _openFds++; m.Process.Tell(new Opened(_nextFd++)); });
            Receive<TakeLayoutLease>(_ => { _lease = true; Sender.Tell(new LeaseTaken()); });
            Receive<Pin>(m => { _region = m.Region; _context = m.Context; m.Region.Tell(new Pinned()); });
            Receive<Close>(_ => _openFds--);
            Receive<Truncate>(m =>
            {
                _truncater = m.Process;
                if (!_lease && _region is null) { m.Process.Tell(new Truncated(0)); return; }
                _deadline = RdmaSeedModel.LeaseBreakTimeMs;
                _context!.Tell(new Break(0, _deadline)); // mr-holds-lease: the break goes to whoever holds the region's context
            });
            Receive<Unpin>(m =>
            {
                _region = null;
                _lease = false; // the region was the last reference keeping the lease
                _truncater?.Tell(new Truncated(RdmaSeedModel.Verdict(m.AtMs, _deadline)));
            });
        }
    }

    private sealed class Socket : ReceiveActor
    {
        public Socket(IActorRef receiver)
        {
            // recvmsg is B's first step: B is waiting, so the context is delivered at once.
            Receive<SendFds>(m =>
            {
                m.Context.Tell(new SetHolder(receiver)); // before A hears "sent", so before any break can reach the context
                Sender.Tell(new Sent());
                receiver.Tell(new Delivered(m.Context));
            });
        }
    }

    private sealed class VerbsContext : ReceiveActor
    {
        private IActorRef? _holder;
        private IActorRef? _region;
        private IActorRef? _handler;

        public VerbsContext()
        {
            Receive<RegMr>(m =>
            {
                _holder = m.Process;
                var self = Self;
                var inode = m.Inode;
                _region = Context.ActorOf(Props.Create(() => new MemoryRegion(self, inode)), "mr");
                _region.Tell(m);
            });
            Receive<RegionUp>(m => m.Process.Tell(new MrRegistered(4001)));
            Receive<SetHolder>(m => _holder = m.Process);
            Receive<Break>(m => _holder!.Tell(new Signal(29, m.StartMs, Self)));
            Receive<DeregMr>(m => { _handler = m.Handler; _region?.Tell(new Teardown(m.AtMs)); });
            Receive<Deregistered>(_ => { _region = null; _handler?.Tell(new Deregistered()); });
            Receive<Close>(_ => { _region?.Tell(new Teardown(double.PositiveInfinity)); Context.Stop(Self); });
        }
    }

    private sealed class MemoryRegion : ReceiveActor
    {
        public MemoryRegion(IActorRef context, IActorRef inode)
        {
            IActorRef? process = null;
            Receive<RegMr>(m => { process = m.Process; inode.Tell(new Pin(Self, context, 256)); });
            Receive<Pinned>(_ =>
            {
                context.Tell(new RegionUp(process!));
                Self.Tell(new DmaWrite(RdmaSeedModel.DmaWrites));
            });
            Receive<DmaWrite>(m => { if (m.Remaining > 1) Self.Tell(new DmaWrite(m.Remaining - 1)); });
            Receive<Teardown>(m =>
            {
                inode.Tell(new Unpin(m.AtMs));
                context.Tell(new Deregistered());
                Context.Stop(Self);
            });
        }
    }

    private sealed class ProcessA : ReceiveActor
    {
        private readonly IActorRef _inode;

        public ProcessA(IActorRef root, IActorRef inode, IActorRef socket)
        {
            _inode = inode;
            var fd = 0;
            IActorRef? ctx = null;
            Receive<Opened>(m => { fd = m.Fd; inode.Tell(new TakeLayoutLease(fd)); });
            Receive<LeaseTaken>(_ => root.Tell(new VerbsOpen(Self))); // mmap is local to the process: no message
            Receive<VerbsOpened>(m => { ctx = m.Context; ctx.Tell(new RegMr(Self, inode)); });
            Receive<MrRegistered>(_ => socket.Tell(new SendFds(ctx!)));
            Receive<Sent>(_ =>
            {
                inode.Tell(new Close(fd));
                root.Tell(new Exited("A", 0));
                Context.Stop(Self);
            });
        }

        protected override void PreStart() => _inode.Tell(new Open(Self));
    }

    private sealed class ProcessB : ReceiveActor
    {
        public ProcessB(IActorRef root, double signalDelay, double handlerDelay)
        {
            IActorRef? ctx = null;
            var handled = false;
            Receive<Delivered>(m => { ctx = m.Context; if (handled) Self.Tell(new Sleep()); });
            Receive<Signal>(m =>
            {
                var until = m.AtMs + signalDelay + RdmaSeedModel.HandlerTakesMs + handlerDelay; // a local: Akka compiles deeper expressions per call
                var c = m.Context;
                Context.ActorOf(Props.Create(() => new Handler(c, until)), "sigio");
            });
            Receive<HandlerDone>(_ => { handled = true; if (ctx is not null) Self.Tell(new Sleep()); });
            Receive<Sleep>(_ =>
            {
                // B's 2-minute sleep, as one message; the break always comes before it ends in this scenario.
                ctx!.Tell(new Close(4));
                root.Tell(new Exited("B", 0));
                Context.Stop(Self);
            });
        }
    }

    private sealed class Handler : ReceiveActor
    {
        public Handler(IActorRef context, double untilMs)
        {
            Receive<HandlerTakes>(m => context.Tell(new DeregMr(Self, m.UntilMs)));
            Receive<Deregistered>(_ =>
            {
                Context.Parent.Tell(new HandlerDone());
                Context.Stop(Self);
            });
            Self.Tell(new HandlerTakes(untilMs)); // the handler's "takes", as one message
        }
    }

    private sealed class ProcessC : ReceiveActor
    {
        public ProcessC(IActorRef root, IActorRef inode)
        {
            Receive<AExited>(_ => inode.Tell(new Truncate(Self, 0)));
            Receive<Truncated>(m =>
            {
                root.Tell(new Exited("C", m.Verdict));
                Context.Stop(Self);
            });
        }
    }
}
