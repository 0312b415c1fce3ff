using Akka.Actor;
using LeaseActors.Simulation.Tracing;
using static LeaseActors.Benchmarks.Workloads.LeaseBreak.LeaseBreakScenario;

namespace LeaseActors.Benchmarks.Workloads.LeaseBreak;

/// <summary>
/// The clock and signal path. Owns the holder being signalled, a 1 ms delivery delay timer and a periodic
/// re-signal timer (every 20 s until the break finishes).
/// Accepts <see cref="NotifyBreak"/> and <see cref="BreakFinished"/>; emits <see cref="Sigio"/> and <see cref="Finished"/>.
/// </summary>
internal sealed class Notifier : ScenarioActor
{
    private sealed record Deliver
    {
        public static Deliver Instance { get; } = new();
    }

    private sealed record Resignal
    {
        public static Resignal Instance { get; } = new();
    }

    private IActorRef? _holder;

    public Notifier(RunTrace trace) : base(trace)
    {
        Receive<NotifyBreak>(notify =>
        {
            _holder = notify.Holder;
            Trace.Record(new TraceEvent("notify.break"));
            Timers.StartSingleTimer("deliver", Deliver.Instance, TimeSpan.FromMilliseconds(1));
            Timers.StartPeriodicTimer("resignal", Resignal.Instance, ResignalInterval);
        });
        Receive<Deliver>(_ => _holder!.Tell(Sigio.Instance));
        Receive<Resignal>(_ =>
        {
            Trace.Record(new TraceEvent("notify.resignal"));
            _holder!.Tell(Sigio.Instance);
        });
        Receive<BreakFinished>(finished =>
        {
            Timers.Cancel("resignal");
            Trace.Record(new TraceEvent("notify.finished", ("forced", finished.Forced)));
            Sender.Tell(new Finished("notifier", Received));
        });
    }
}
