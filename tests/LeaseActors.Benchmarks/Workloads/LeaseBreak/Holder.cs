using Akka.Actor;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using static LeaseActors.Benchmarks.Workloads.LeaseBreak.LeaseBreakScenario;

namespace LeaseActors.Benchmarks.Workloads.LeaseBreak;

/// <summary>
/// The lease holder. Owns whether it is slow this run (drawn from the run's random stream), which phase it is
/// in (holding the first write lease, or re-acquiring a read lease) and its write-back progress.
/// Accepts <see cref="Start"/>, <see cref="LeaseGranted"/>, <see cref="LeaseRefused"/>, <see cref="LeaseReleased"/>,
/// <see cref="LeaseBroken"/>, <see cref="Sigio"/> and <see cref="WrittenBack"/>; emits <see cref="SetLease"/>,
/// <see cref="WriteBack"/> and <see cref="Finished"/>.
/// </summary>
internal sealed class Holder : ScenarioActor
{
    private sealed record Flush
    {
        public static Flush Instance { get; } = new();
    }

    private sealed record Reacquire
    {
        public static Reacquire Instance { get; } = new();
    }

    private sealed record HoldOver
    {
        public static HoldOver Instance { get; } = new();
    }

    private readonly DeterministicRandom _random;
    private readonly IActorRef _manager;
    private bool _slow;
    private bool _flushing;
    private bool _reacquiring;

    public Holder(RunTrace trace, DeterministicRandom random, IActorRef manager) : base(trace)
    {
        _random = random;
        _manager = manager;

        Receive<Start>(_ =>
        {
            _slow = _random.Next(4) == 0;
            _manager.Tell(new SetLease(LeaseKind.Write));
        });
        Receive<LeaseGranted>(granted =>
        {
            Trace.Record(new TraceEvent("holder.granted", ("lease", granted.Kind)));
            if (_reacquiring) Timers.StartSingleTimer("hold", HoldOver.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<Sigio>(_ => OnSigio());
        Receive<Flush>(_ => _manager.Tell(new WriteBack(0)));
        Receive<WrittenBack>(written =>
        {
            if (written.Chunk + 1 < DirtyChunks) _manager.Tell(new WriteBack(written.Chunk + 1));
            else _manager.Tell(new SetLease(LeaseKind.Unlock));
        });
        Receive<LeaseBroken>(_ => Trace.Record(new TraceEvent("holder.broken")));
        Receive<LeaseReleased>(released =>
        {
            Trace.Record(new TraceEvent("holder.released", ("had", released.HadLease)));
            if (_reacquiring)
            {
                _manager.Tell(new Finished("holder", Received));
                return;
            }
            _reacquiring = true;
            Timers.StartSingleTimer("reacquire", Reacquire.Instance, TimeSpan.FromMilliseconds(100));
        });
        Receive<Reacquire>(_ => _manager.Tell(new SetLease(LeaseKind.Read)));
        Receive<LeaseRefused>(_ => Timers.StartSingleTimer("reacquire", Reacquire.Instance, TimeSpan.FromMilliseconds(100)));
        Receive<HoldOver>(_ => _manager.Tell(new SetLease(LeaseKind.Unlock)));
    }

    private void OnSigio()
    {
        Trace.Record(new TraceEvent("holder.sigio", ("flushing", _flushing)));
        if (_flushing) return;
        _flushing = true;
        var delay = _slow ? TimeSpan.FromSeconds(50) : TimeSpan.FromMilliseconds(_random.NextInRange(2, 21));
        Timers.StartSingleTimer("flush", Flush.Instance, delay);
    }
}
