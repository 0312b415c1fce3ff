using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Benchmarks.Workloads.LeaseBreak;

/// <summary>What the four scenario actors share: timers, the run's trace and a count of messages received.</summary>
internal abstract class ScenarioActor : ReceiveActor, IWithTimers
{
    protected ScenarioActor(RunTrace trace) => Trace = trace;

    public ITimerScheduler Timers { get; set; } = null!;

    protected RunTrace Trace { get; }

    /// <summary>Messages this actor has received, timer messages included.</summary>
    protected int Received { get; private set; }

    protected override bool AroundReceive(Receive receive, object message)
    {
        Received++;
        return base.AroundReceive(receive, message);
    }
}
