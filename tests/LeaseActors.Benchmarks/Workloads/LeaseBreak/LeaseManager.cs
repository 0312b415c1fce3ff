using Akka.Actor;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using static LeaseActors.Benchmarks.Workloads.LeaseBreak.LeaseBreakScenario;

namespace LeaseActors.Benchmarks.Workloads.LeaseBreak;

/// <summary>
/// The run's root. Owns the lease (its kind, or none), whether a break is in progress, the breaker's blocked
/// open and whether the file is open for writing, and the 45 s break deadline timer.
/// Accepts <see cref="SetLease"/>, <see cref="OpenFile"/>, <see cref="CloseFile"/>, <see cref="WriteBack"/> and
/// <see cref="Finished"/>; emits <see cref="LeaseGranted"/>, <see cref="LeaseRefused"/>, <see cref="LeaseReleased"/>,
/// <see cref="LeaseBroken"/>, <see cref="OpenBlocked"/>, <see cref="OpenGranted"/>, <see cref="FileClosed"/>,
/// <see cref="WrittenBack"/>, <see cref="NotifyBreak"/> and <see cref="BreakFinished"/>.
/// </summary>
internal sealed class LeaseManager : ScenarioActor
{
    private sealed record BreakDeadline
    {
        public static BreakDeadline Instance { get; } = new();
    }

    private readonly IActorRef _holder;
    private readonly IActorRef _breaker;
    private readonly IActorRef _notifier;
    private LeaseKind? _lease;
    private IActorRef? _blockedOpen;
    private bool _openForWrite;
    private int _finished;
    private int _messagesOfOthers;

    public LeaseManager(RunTrace trace, DeterministicRandom random) : base(trace)
    {
        _notifier = Context.ActorOf(Akka.Actor.Props.Create(() => new Notifier(trace)), "notifier");
        _holder = Context.ActorOf(Akka.Actor.Props.Create(() => new Holder(trace, random, Self)), "holder");
        _breaker = Context.ActorOf(Akka.Actor.Props.Create(() => new Breaker(trace, random, Self)), "breaker");

        Receive<SetLease>(OnSetLease);
        Receive<OpenFile>(_ => OnOpen());
        Receive<BreakDeadline>(_ => OnDeadline());
        Receive<WriteBack>(w => Sender.Tell(new WrittenBack(w.Chunk)));
        Receive<CloseFile>(_ =>
        {
            _openForWrite = false;
            Sender.Tell(FileClosed.Instance);
        });
        Receive<Finished>(OnFinished);
    }

    protected override void PreStart()
    {
        _holder.Tell(Start.Instance);
        _breaker.Tell(Start.Instance);
    }

    private void OnSetLease(SetLease set)
    {
        if (set.Kind == LeaseKind.Unlock)
        {
            var had = _lease is not null;
            _lease = null;
            Trace.Record(new TraceEvent("lease.unlocked", ("had", had)));
            if (_blockedOpen is not null) FinishBreak(forced: false);
            Sender.Tell(new LeaseReleased(had));
            return;
        }
        if (_openForWrite)
        {
            Trace.Record(new TraceEvent("lease.refused", ("lease", set.Kind)));
            Sender.Tell(LeaseRefused.Instance);
            return;
        }
        _lease = set.Kind;
        Trace.Record(new TraceEvent("lease.set", ("lease", set.Kind)));
        Sender.Tell(new LeaseGranted(set.Kind));
    }

    private void OnOpen()
    {
        if (_lease is null)
        {
            _openForWrite = true;
            Sender.Tell(OpenGranted.Instance);
            return;
        }
        _blockedOpen = Sender;
        Timers.StartSingleTimer("break-deadline", BreakDeadline.Instance, LeaseBreakTime);
        Trace.Record(new TraceEvent("break.started", ("lease", _lease.Value)));
        _notifier.Tell(new NotifyBreak(_holder));
        Sender.Tell(OpenBlocked.Instance);
    }

    private void OnDeadline()
    {
        if (_blockedOpen is null) return;
        _lease = null;
        _holder.Tell(LeaseBroken.Instance);
        FinishBreak(forced: true);
    }

    private void FinishBreak(bool forced)
    {
        if (!forced) Timers.Cancel("break-deadline");
        Trace.Record(new TraceEvent("break.finished", ("forced", forced)));
        _notifier.Tell(new BreakFinished(forced));
        _openForWrite = true;
        _blockedOpen!.Tell(OpenGranted.Instance);
        _blockedOpen = null;
    }

    private void OnFinished(Finished finished)
    {
        _finished++;
        _messagesOfOthers += finished.Messages;
        if (_finished == 3)
            Trace.Record(new TraceEvent("run.summary", ("messages", _messagesOfOthers + Received)));
    }
}
