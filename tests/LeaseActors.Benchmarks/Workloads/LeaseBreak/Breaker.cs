using Akka.Actor;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using static LeaseActors.Benchmarks.Workloads.LeaseBreak.LeaseBreakScenario;

namespace LeaseActors.Benchmarks.Workloads.LeaseBreak;

/// <summary>
/// The process whose <c>open(O_WRONLY)</c> breaks the lease. Owns nothing but its timers: when to open (1–20 ms
/// after start) and how long to keep the file open (50–150 ms).
/// Accepts <see cref="Start"/>, <see cref="OpenBlocked"/>, <see cref="OpenGranted"/> and <see cref="FileClosed"/>;
/// emits <see cref="OpenFile"/>, <see cref="CloseFile"/> and <see cref="Finished"/>.
/// </summary>
internal sealed class Breaker : ScenarioActor
{
    private sealed record OpenNow
    {
        public static OpenNow Instance { get; } = new();
    }

    private sealed record DoneWriting
    {
        public static DoneWriting Instance { get; } = new();
    }

    public Breaker(RunTrace trace, DeterministicRandom random, IActorRef manager) : base(trace)
    {
        Receive<Start>(_ => Timers.StartSingleTimer("open", OpenNow.Instance, TimeSpan.FromMilliseconds(random.NextInRange(1, 21))));
        Receive<OpenNow>(_ => manager.Tell(OpenFile.Instance));
        Receive<OpenBlocked>(_ => Trace.Record(new TraceEvent("breaker.blocked")));
        Receive<OpenGranted>(_ =>
        {
            Trace.Record(new TraceEvent("breaker.opened"));
            Timers.StartSingleTimer("write", DoneWriting.Instance, TimeSpan.FromMilliseconds(random.NextInRange(50, 151)));
        });
        Receive<DoneWriting>(_ => manager.Tell(CloseFile.Instance));
        Receive<FileClosed>(_ =>
        {
            Trace.Record(new TraceEvent("breaker.closed"));
            manager.Tell(new Finished("breaker", Received));
        });
    }
}
