using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using LeaseActors.Benchmarks.Workloads;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Harness;

/// <summary>
/// Per-step cost measured inside one run, in short blocks: a timer chain that takes a Stopwatch timestamp every
/// <see cref="Block"/> ticks into a side array (never into the trace, so the run is unaffected). On a machine
/// whose other work preempts any measurement longer than a few milliseconds, the fastest of hundreds of
/// sub-millisecond blocks is the engine's own step cost.
/// </summary>
internal static class SteppingProbe
{
    public const int Block = 1_000;

    public static void Report(SimulationDriver driver, int pending, int blocks, int repetitions)
    {
        var all = new List<double>();
        for (var r = 0; r < repetitions + 1; r++) // the first repetition only warms up
        {
            var stamps = new long[blocks + 1];
            driver.Run(new RunOptions { Horizon = TimeSpan.FromDays(10) },
                _ => FarFutureTimers.Props(pending, Props.Create(() => new StampingChain(stamps))));
            if (r == 0) continue;
            for (var i = 1; i <= blocks; i++)
                all.Add(Stopwatch.GetElapsedTime(stamps[i - 1], stamps[i]).TotalNanoseconds / Block);
        }
        all.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"1 ms timer chain, {pending,7} pending: min {all[0],8:N1} ns/step, 10th percentile {all[all.Count / 10],8:N1}, median {all[all.Count / 2],8:N1} ({all.Count} blocks of {Block} steps)"));
    }

    /// <summary>Re-arms a 1 ms timer and stamps the time every <see cref="Block"/> ticks until its array is full.</summary>
    private sealed class StampingChain : UntypedActor, IWithTimers
    {
        private readonly long[] _stamps;
        private int _ticks;

        public StampingChain(long[] stamps) => _stamps = stamps;

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            _stamps[0] = Stopwatch.GetTimestamp();
            Timers.StartSingleTimer("tick", TimerChain.Tick.Instance, TimeSpan.FromMilliseconds(1));
        }

        protected override void OnReceive(object message)
        {
            _ticks++;
            if (_ticks % Block == 0)
            {
                _stamps[_ticks / Block] = Stopwatch.GetTimestamp();
                if (_ticks / Block == _stamps.Length - 1) return;
            }
            Timers.StartSingleTimer("tick", TimerChain.Tick.Instance, TimeSpan.FromMilliseconds(1));
        }
    }
}
