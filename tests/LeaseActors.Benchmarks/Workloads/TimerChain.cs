using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Benchmarks.Workloads;

/// <summary>
/// An otherwise idle actor that re-arms one <see cref="IWithTimers"/> single-shot timer each time it fires,
/// a given number of times: the cheapest way for virtual time to pass, so its wall time per virtual hour is
/// what an idle lease (waiting out a lease-break-time, say) costs the engine.
/// </summary>
internal static class TimerChain
{
    /// <summary>The chain's timer message; one instance.</summary>
    public sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    /// <summary>A chain of <paramref name="ticks"/> timers <paramref name="interval"/> apart, recording <c>chain.done</c> at the end.</summary>
    public static Props Props(RunTrace trace, int ticks, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new Chain(trace, ticks, interval));

    /// <summary>Owns the count of ticks fired; accepts <see cref="Tick"/> from its own timer.</summary>
    private sealed class Chain : UntypedActor, IWithTimers
    {
        private readonly RunTrace _trace;
        private readonly int _ticks;
        private readonly TimeSpan _interval;
        private int _fired;

        public Chain(RunTrace trace, int ticks, TimeSpan interval)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticks);
            _trace = trace;
            _ticks = ticks;
            _interval = interval;
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartSingleTimer("tick", Tick.Instance, _interval);

        protected override void OnReceive(object message)
        {
            if (message is not Tick)
            {
                Unhandled(message);
                return;
            }
            if (++_fired < _ticks) Timers.StartSingleTimer("tick", Tick.Instance, _interval);
            else _trace.Record(new TraceEvent("chain.done", ("ticks", _fired)));
        }
    }
}
