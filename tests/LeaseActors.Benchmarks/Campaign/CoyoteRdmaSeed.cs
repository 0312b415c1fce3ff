using Microsoft.Coyote;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.SystematicTesting;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// The RDMA seed scenario as a Microsoft.Coyote actors model, with the same actors and message flow as
/// <see cref="PlainAkkaRdmaSeed"/> (inode, socket, verbs context, memory region, processes A, B, C and B's handler),
/// run under Coyote's <see cref="TestingEngine"/>: one test iteration is one run, with Coyote choosing the schedule
/// and the run's delay sample coming from Coyote's controlled <c>RandomInteger</c>.
/// </summary>
public static class CoyoteRdmaSeed
{
    /// <summary>Runs <paramref name="iterations"/> test iterations; returns the number run and the late verdicts seen.</summary>
    public static (long Iterations, long Late, long Bugs) Test(uint iterations, uint seed)
    {
        var configuration = Configuration.Create()
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(seed)
            .WithTelemetryEnabled(false)
            .WithConsoleLoggingEnabled(false)
            .WithVerbosityEnabled(Microsoft.Coyote.Logging.VerbosityLevel.None);
        Interlocked.Exchange(ref _late, 0);
        var engine = TestingEngine.Create(configuration, (IActorRuntime runtime) => runtime.CreateActor(typeof(Root)));
        engine.Run();
        var report = engine.TestReport;
        return (report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths, Interlocked.Read(ref _late), report.NumOfFoundBugs);
    }

    private static long _late;

    private sealed class Init(params object[] values) : Event
    {
        public object[] Values { get; } = values;
    }

    private sealed class Open(ActorId process) : Event { public ActorId Process { get; } = process; }
    private sealed class Opened(int fd) : Event { public int Fd { get; } = fd; }
    private sealed class TakeLayoutLease(ActorId process) : Event { public ActorId Process { get; } = process; }
    private sealed class LeaseTaken : Event;
    private sealed class VerbsOpen(ActorId process) : Event { public ActorId Process { get; } = process; }
    private sealed class VerbsOpened(ActorId context) : Event { public ActorId Context { get; } = context; }
    private sealed class RegMr(ActorId process, ActorId inode) : Event { public ActorId Process { get; } = process; public ActorId Inode { get; } = inode; }
    private sealed class MrRegistered : Event;
    private sealed class Pin(ActorId region, ActorId context) : Event { public ActorId Region { get; } = region; public ActorId Context { get; } = context; }
    private sealed class Pinned : Event;
    private sealed class RegionUp(ActorId process) : Event { public ActorId Process { get; } = process; }
    private sealed class DmaWrite(int remaining) : Event { public int Remaining { get; } = remaining; }
    private sealed class SendFds(ActorId sender, ActorId context) : Event { public ActorId Sender { get; } = sender; public ActorId Context { get; } = context; }
    private sealed class Sent : Event;
    private sealed class Delivered(ActorId context) : Event { public ActorId Context { get; } = context; }
    private sealed class SetHolder(ActorId process) : Event { public ActorId Process { get; } = process; }
    private sealed class Close : Event;
    private sealed class Exited(string process, int verdict) : Event { public string Process { get; } = process; public int Verdict { get; } = verdict; }
    private sealed class AExited : Event;
    private sealed class Truncate(ActorId process) : Event { public ActorId Process { get; } = process; }
    private sealed class Break(double deadlineMs) : Event { public double DeadlineMs { get; } = deadlineMs; }
    private sealed class Signal(double atMs, ActorId context) : Event { public double AtMs { get; } = atMs; public ActorId Context { get; } = context; }
    private sealed class HandlerTakes(double untilMs) : Event { public double UntilMs { get; } = untilMs; }
    private sealed class DeregMr(ActorId handler, double atMs) : Event { public ActorId Handler { get; } = handler; public double AtMs { get; } = atMs; }
    private sealed class Teardown(double atMs) : Event { public double AtMs { get; } = atMs; }
    private sealed class Unpin(double atMs) : Event { public double AtMs { get; } = atMs; }
    private sealed class Deregistered : Event;
    private sealed class HandlerDone : Event;
    private sealed class Truncated(int verdict) : Event { public int Verdict { get; } = verdict; }
    private sealed class Sleep : Event;

    [OnEventDoAction(typeof(VerbsOpen), nameof(OnVerbsOpen))]
    [OnEventDoAction(typeof(Exited), nameof(OnExited))]
    private sealed class Root : Actor
    {
        private ActorId _c = null!;
        private int _exited;
        private int _verdict;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var (signalDelay, handlerDelay) = RdmaSeedModel.SampleDelays(new Random(RandomInteger(int.MaxValue)));
            var inode = CreateActor(typeof(Inode));
            var b = CreateActor(typeof(ProcessB), new Init(Id, signalDelay, handlerDelay));
            var socket = CreateActor(typeof(Socket), new Init(b));
            CreateActor(typeof(ProcessA), new Init(Id, inode, socket));
            _c = CreateActor(typeof(ProcessC), new Init(Id, inode));
            return Task.CompletedTask;
        }

        private void OnVerbsOpen(Event e) => SendEvent(((VerbsOpen)e).Process, new VerbsOpened(CreateActor(typeof(VerbsContext))));

        private void OnExited(Event e)
        {
            var m = (Exited)e;
            if (m.Process == "A") SendEvent(_c, new AExited());
            _verdict = Math.Max(_verdict, m.Verdict);
            if (++_exited < 3) return;
            if (_verdict == 2) Interlocked.Increment(ref _late);
            RaiseHaltEvent();
        }
    }

    [OnEventDoAction(typeof(Open), nameof(OnOpen))]
    [OnEventDoAction(typeof(TakeLayoutLease), nameof(OnLease))]
    [OnEventDoAction(typeof(Pin), nameof(OnPin))]
    [OnEventDoAction(typeof(Close), nameof(OnClose))]
    [OnEventDoAction(typeof(Truncate), nameof(OnTruncate))]
    [OnEventDoAction(typeof(Unpin), nameof(OnUnpin))]
    private sealed class Inode : Actor
    {
        private int _nextFd = 3;
        private bool _lease;
        private ActorId? _region;
        private ActorId? _context;
        private ActorId? _truncater;
        private double _deadline;

        private void OnOpen(Event e) => SendEvent(((Open)e).Process, new Opened(_nextFd++));
        private void OnLease(Event e) { _lease = true; SendEvent(((TakeLayoutLease)e).Process, new LeaseTaken()); }
        private void OnPin(Event e) { var m = (Pin)e; _region = m.Region; _context = m.Context; SendEvent(m.Region, new Pinned()); }
        private void OnClose(Event e) { }

        private void OnTruncate(Event e)
        {
            _truncater = ((Truncate)e).Process;
            if (!_lease && _region is null) { SendEvent(_truncater, new Truncated(0)); return; }
            _deadline = RdmaSeedModel.LeaseBreakTimeMs;
            SendEvent(_context!, new Break(_deadline));
        }

        private void OnUnpin(Event e)
        {
            _region = null;
            _lease = false;
            if (_truncater is not null) SendEvent(_truncater, new Truncated(RdmaSeedModel.Verdict(((Unpin)e).AtMs, _deadline)));
        }
    }

    [OnEventDoAction(typeof(SendFds), nameof(OnSend))]
    private sealed class Socket : Actor
    {
        private ActorId _receiver = null!;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            _receiver = (ActorId)((Init)initialEvent).Values[0];
            return Task.CompletedTask;
        }

        private void OnSend(Event e)
        {
            var m = (SendFds)e;
            SendEvent(m.Context, new SetHolder(_receiver));
            SendEvent(m.Sender, new Sent());
            SendEvent(_receiver, new Delivered(m.Context));
        }
    }

    [OnEventDoAction(typeof(RegMr), nameof(OnRegMr))]
    [OnEventDoAction(typeof(RegionUp), nameof(OnRegionUp))]
    [OnEventDoAction(typeof(SetHolder), nameof(OnSetHolder))]
    [OnEventDoAction(typeof(Break), nameof(OnBreak))]
    [OnEventDoAction(typeof(DeregMr), nameof(OnDereg))]
    [OnEventDoAction(typeof(Deregistered), nameof(OnDeregistered))]
    [OnEventDoAction(typeof(Close), nameof(OnClose))]
    private sealed class VerbsContext : Actor
    {
        private ActorId? _holder;
        private ActorId? _region;
        private ActorId? _handler;

        private void OnRegMr(Event e)
        {
            var m = (RegMr)e;
            _holder = m.Process;
            _region = CreateActor(typeof(MemoryRegion), new Init(Id, m.Inode));
            SendEvent(_region, m);
        }

        private void OnRegionUp(Event e) => SendEvent(((RegionUp)e).Process, new MrRegistered());
        private void OnSetHolder(Event e) => _holder = ((SetHolder)e).Process;
        private void OnBreak(Event e) => SendEvent(_holder!, new Signal(0, Id));
        private void OnDereg(Event e) { var m = (DeregMr)e; _handler = m.Handler; if (_region is not null) SendEvent(_region, new Teardown(m.AtMs)); }
        private void OnDeregistered(Event e) { _region = null; if (_handler is not null) SendEvent(_handler, new Deregistered()); }

        private void OnClose(Event e)
        {
            if (_region is not null) SendEvent(_region, new Teardown(double.PositiveInfinity));
            RaiseHaltEvent();
        }
    }

    [OnEventDoAction(typeof(RegMr), nameof(OnRegMr))]
    [OnEventDoAction(typeof(Pinned), nameof(OnPinned))]
    [OnEventDoAction(typeof(DmaWrite), nameof(OnDma))]
    [OnEventDoAction(typeof(Teardown), nameof(OnTeardown))]
    private sealed class MemoryRegion : Actor
    {
        private ActorId _context = null!;
        private ActorId _inode = null!;
        private ActorId? _process;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var init = (Init)initialEvent;
            _context = (ActorId)init.Values[0];
            _inode = (ActorId)init.Values[1];
            return Task.CompletedTask;
        }

        private void OnRegMr(Event e) { _process = ((RegMr)e).Process; SendEvent(_inode, new Pin(Id, _context)); }

        private void OnPinned(Event e)
        {
            SendEvent(_context, new RegionUp(_process!));
            SendEvent(Id, new DmaWrite(RdmaSeedModel.DmaWrites));
        }

        private void OnDma(Event e) { var m = (DmaWrite)e; if (m.Remaining > 1) SendEvent(Id, new DmaWrite(m.Remaining - 1)); }

        private void OnTeardown(Event e)
        {
            SendEvent(_inode, new Unpin(((Teardown)e).AtMs));
            SendEvent(_context, new Deregistered());
            RaiseHaltEvent();
        }
    }

    [OnEventDoAction(typeof(Opened), nameof(OnOpened))]
    [OnEventDoAction(typeof(LeaseTaken), nameof(OnLeaseTaken))]
    [OnEventDoAction(typeof(VerbsOpened), nameof(OnVerbsOpened))]
    [OnEventDoAction(typeof(MrRegistered), nameof(OnRegistered))]
    [OnEventDoAction(typeof(Sent), nameof(OnSent))]
    private sealed class ProcessA : Actor
    {
        private ActorId _root = null!;
        private ActorId _inode = null!;
        private ActorId _socket = null!;
        private ActorId? _ctx;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var init = (Init)initialEvent;
            (_root, _inode, _socket) = ((ActorId)init.Values[0], (ActorId)init.Values[1], (ActorId)init.Values[2]);
            SendEvent(_inode, new Open(Id));
            return Task.CompletedTask;
        }

        private void OnOpened(Event e) => SendEvent(_inode, new TakeLayoutLease(Id));
        private void OnLeaseTaken(Event e) => SendEvent(_root, new VerbsOpen(Id));
        private void OnVerbsOpened(Event e) { _ctx = ((VerbsOpened)e).Context; SendEvent(_ctx, new RegMr(Id, _inode)); }
        private void OnRegistered(Event e) => SendEvent(_socket, new SendFds(Id, _ctx!));

        private void OnSent(Event e)
        {
            SendEvent(_inode, new Close());
            SendEvent(_root, new Exited("A", 0));
            RaiseHaltEvent();
        }
    }

    [OnEventDoAction(typeof(Delivered), nameof(OnDelivered))]
    [OnEventDoAction(typeof(Signal), nameof(OnSignal))]
    [OnEventDoAction(typeof(HandlerDone), nameof(OnHandlerDone))]
    [OnEventDoAction(typeof(Sleep), nameof(OnSleep))]
    private sealed class ProcessB : Actor
    {
        private ActorId _root = null!;
        private double _signalDelay;
        private double _handlerDelay;
        private ActorId? _ctx;
        private bool _handled;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var init = (Init)initialEvent;
            (_root, _signalDelay, _handlerDelay) = ((ActorId)init.Values[0], (double)init.Values[1], (double)init.Values[2]);
            return Task.CompletedTask;
        }

        private void OnDelivered(Event e) { _ctx = ((Delivered)e).Context; if (_handled) SendEvent(Id, new Sleep()); }

        private void OnSignal(Event e)
        {
            var m = (Signal)e;
            CreateActor(typeof(Handler), new Init(Id, m.Context, m.AtMs + _signalDelay + RdmaSeedModel.HandlerTakesMs + _handlerDelay));
        }

        private void OnHandlerDone(Event e) { _handled = true; if (_ctx is not null) SendEvent(Id, new Sleep()); }

        private void OnSleep(Event e)
        {
            SendEvent(_ctx!, new Close());
            SendEvent(_root, new Exited("B", 0));
            RaiseHaltEvent();
        }
    }

    [OnEventDoAction(typeof(HandlerTakes), nameof(OnTakes))]
    [OnEventDoAction(typeof(Deregistered), nameof(OnDeregistered))]
    private sealed class Handler : Actor
    {
        private ActorId _process = null!;
        private ActorId _context = null!;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var init = (Init)initialEvent;
            (_process, _context) = ((ActorId)init.Values[0], (ActorId)init.Values[1]);
            SendEvent(Id, new HandlerTakes((double)init.Values[2]));
            return Task.CompletedTask;
        }

        private void OnTakes(Event e) => SendEvent(_context, new DeregMr(Id, ((HandlerTakes)e).UntilMs));

        private void OnDeregistered(Event e)
        {
            SendEvent(_process, new HandlerDone());
            RaiseHaltEvent();
        }
    }

    [OnEventDoAction(typeof(AExited), nameof(OnAExited))]
    [OnEventDoAction(typeof(Truncated), nameof(OnTruncated))]
    private sealed class ProcessC : Actor
    {
        private ActorId _root = null!;
        private ActorId _inode = null!;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var init = (Init)initialEvent;
            (_root, _inode) = ((ActorId)init.Values[0], (ActorId)init.Values[1]);
            return Task.CompletedTask;
        }

        private void OnAExited(Event e) => SendEvent(_inode, new Truncate(Id));

        private void OnTruncated(Event e)
        {
            SendEvent(_root, new Exited("C", ((Truncated)e).Verdict));
            RaiseHaltEvent();
        }
    }
}
