using Akka.Actor;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Benchmarks.Workloads;

/// <summary>
/// A stress workload for the virtual clock, used by the harness's digests rather than timed: several actors
/// schedule timers with random delays on a coarse grid (so many fall due at the same instant), short and long
/// ones interleaved, some periodic, some cancelled, some re-armed under the same key, and record every firing.
/// Two engine builds that fire timers in the same order give the same trace.
/// </summary>
internal static class TimerStorm
{
    /// <summary>A storm of <paramref name="actors"/> actors, each firing about <paramref name="firings"/> timers.</summary>
    public static Props Props(RunContext run, int actors, int firings)
    {
        ArgumentNullException.ThrowIfNull(run);
        var trace = run.Trace;
        var random = run.Random;
        return Akka.Actor.Props.Create(() => new Root(trace, random, actors, firings));
    }

    private sealed record Fire(int Key, long Serial);

    /// <summary>Creates the storm's actors; owns nothing else.</summary>
    private sealed class Root : UntypedActor
    {
        public Root(RunTrace trace, DeterministicRandom random, int actors, int firings)
        {
            for (var i = 0; i < actors; i++)
            {
                var name = "s" + i;
                Context.ActorOf(Akka.Actor.Props.Create(() => new Stormer(trace, random, name, firings)), name);
            }
        }

        protected override void OnReceive(object message) => Unhandled(message);
    }

    /// <summary>Owns its timer keys, a serial number per scheduling and a budget of firings; records each firing.</summary>
    private sealed class Stormer : UntypedActor, IWithTimers
    {
        private readonly RunTrace _trace;
        private readonly DeterministicRandom _random;
        private readonly string _name;
        private int _budget;
        private long _serial;

        public Stormer(RunTrace trace, DeterministicRandom random, string name, int firings)
        {
            _trace = trace;
            _random = random;
            _name = name;
            _budget = firings;
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            for (var i = 0; i < 6; i++) Arm();
            // A plain scheduler timer that is never cancelled (AK1004's concern, and the point here: the clock must
            // fire or drop it correctly next to the IWithTimers ones), up to 200 s away.
#pragma warning disable AK1004
            if (_random.Next(2) == 0)
                Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(_random.Next(200)), Self, new Fire(-1, _serial++), Self);
#pragma warning restore AK1004
        }

        protected override void OnReceive(object message)
        {
            if (message is not Fire fire)
            {
                Unhandled(message);
                return;
            }
            _trace.Record(new TraceEvent("fire", ("actor", _name), ("key", fire.Key), ("serial", fire.Serial)));
            if (--_budget <= 0)
            {
                Timers.CancelAll();
                return;
            }
            var action = _random.Next(8);
            if (action == 0) Timers.Cancel(_random.Next(8));
            if (action <= 5) Arm();
            if (action == 6) Arm(); // sometimes two
        }

        private void Arm()
        {
            var key = _random.Next(8);
            // Delays on a 10 ms grid from 0 to 2 s, now and then 30-60 s: same-instant ties and short/long mixes.
            var delay = _random.Next(10) == 0
                ? TimeSpan.FromSeconds(30 + _random.Next(31))
                : TimeSpan.FromMilliseconds(10 * _random.Next(201));
            var fire = new Fire(key, _serial++);
            if (_random.Next(6) == 0) Timers.StartPeriodicTimer(key, fire, delay + TimeSpan.FromMilliseconds(10));
            else Timers.StartSingleTimer(key, fire, delay);
        }
    }
}
