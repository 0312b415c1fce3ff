using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using LeaseActors.Benchmarks.Workloads;
using LeaseActors.Benchmarks.Workloads.LeaseBreak;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Harness;

/// <summary>
/// A Stopwatch harness for engine work, outside BenchmarkDotNet:
/// <list type="bullet">
/// <item><c>--harness hashes [runs]</c> prints one digest per workload over the trace hashes, steps, timers fired,
/// virtual times and choices of <c>runs</c> seeds (default 2,000): equal digests before and after an engine
/// change mean the change kept behaviour identical.</item>
/// <item><c>--harness speed [seconds]</c> prints rough rates of every workload (default 3 s each), for a quick look
/// or to compare an engine change on a busy machine; BenchmarkDotNet's numbers are the ones to publish.</item>
/// <item><c>--harness loop [seconds]</c> runs the lease-break scenario on one driver for that long (default 30 s),
/// for attaching <c>dotnet-counters</c> or <c>dotnet-trace</c>.</item>
/// <item><c>--harness trace [seed]</c> prints the canonical trace and counters of one lease-break run.</item>
/// <item><c>--harness best workload [invocations]</c> warms one workload up for 3 s, then times each of
/// <c>invocations</c> invocations (default 40) and prints the minimum and median time per operation: on a machine
/// whose other work comes in bursts, the minimum is the figure least disturbed by it. Workloads:
/// <c>chain-0</c>, <c>chain-100k</c> (a 200,000-step 1 ms timer chain with 0 or 10^5 far-future timers pending; per
/// step), <c>schedule-100k</c> (scheduling 10^5 timers; per timer), <c>rally</c> (per message),
/// <c>idle-hour</c> (per virtual hour) and <c>lease-break</c> (per run).</item>
/// <item><c>--harness steps</c> times 1,000-step blocks of a 1 ms timer chain inside runs with 0 and 10^5
/// far-future timers pending (see <see cref="SteppingProbe"/>).</item>
/// </list>
/// </summary>
internal static class QuickHarness
{
    public static int Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "speed";
        var number = args.Length > 1 && mode != "best" ? double.Parse(args[1], CultureInfo.InvariantCulture) : (double?)null;
        using var system = SimulationSetup.CreateSystem("engine-harness");
        var first = new SimulationDriver(system);
        var second = new SimulationDriver(system);
        try
        {
            switch (mode)
            {
                case "hashes": Hashes(first, (int)(number ?? 2_000)); break;
                case "speed": Speed(first, second, TimeSpan.FromSeconds(number ?? 3)); break;
                case "loop": Loop(first, TimeSpan.FromSeconds(number ?? 30)); break;
                case "trace": Trace(first, (ulong)(number ?? 0)); break;
                case "steps":
                    foreach (var pending in new[] { 0, 100_000, 0, 100_000 }) SteppingProbe.Report(first, pending, blocks: 200, repetitions: 5);
                    break;
                case "best": Best(first, args.Length > 1 ? args[1] : "", args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40); return 0;
                default:
                    Console.Error.WriteLine($"Unknown harness mode '{mode}': use hashes [runs], speed [seconds], loop [seconds], trace [seed] best workload [invocations] or steps.");
                    return 2;
            }
        }
        finally
        {
            first.Dispose();
            second.Dispose();
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        return 0;
    }

    private static void Hashes(SimulationDriver driver, int runs)
    {
        Digest("lease-break", driver, runs, LeaseBreakScenario.Props);
        Digest("rally-1000", driver, Math.Max(1, runs / 20), run => Rally.Simulated(run.Trace, 1_000));
        Digest("timer-chain-3600", driver, Math.Max(1, runs / 20), run => TimerChain.Props(run.Trace, 3_600, TimeSpan.FromSeconds(1)));
        Digest("far-future-1000+chain-100", driver, Math.Max(1, runs / 20),
            run => FarFutureTimers.Props(1_000, TimerChain.Props(run.Trace, 100, TimeSpan.FromMilliseconds(1))), TimeSpan.FromDays(10));
        Digest("timer-storm-8x400", driver, Math.Max(1, runs / 10), run => TimerStorm.Props(run, 8, 400), TimeSpan.FromMinutes(10));
    }

    private static void Digest(string name, SimulationDriver driver, int runs, Func<RunContext, Props> root, TimeSpan? horizon = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var seed = 0UL; seed < (ulong)runs; seed++)
        {
            var options = new RunOptions { Seed = seed };
            if (horizon is { } h) options = options with { Horizon = h };
            var r = driver.Run(options, root);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{seed} {r.TraceSha256} {r.EndedBy} {r.Steps} {r.TimersFired} {r.VirtualTime.Ticks} {r.DeadLetters} {string.Join(',', r.Choices)}\n");
            sha.AppendData(Encoding.UTF8.GetBytes(line));
        }
        Console.WriteLine($"{name,-28} seeds 0..{runs - 1}: {Convert.ToHexStringLower(sha.GetHashAndReset())}");
    }

    private static void Speed(SimulationDriver first, SimulationDriver second, TimeSpan each)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        // Tiered compilation needs several seconds of load before the scenario's code is fully optimized (about
        // 4 s here on a busy 2-core machine); measure after that, on both threads' code paths.
        var warmUp = new Thread(() => Rate(second, TimeSpan.FromSeconds(5), 1UL << 42));
        warmUp.Start();
        Rate(first, TimeSpan.FromSeconds(5), 1UL << 43);
        warmUp.Join();
        var one = RateAndCpu(first, each, 0);
        Report("lease-break, one driver", "runs/s", one.Wall);
        Report("  per CPU-second of the driver thread", "runs/s", one.Cpu);
        var parallel = (Wall: 0.0, Cpu: 0.0);
        var other = new Thread(() => parallel = RateAndCpu(second, each, 1UL << 40));
        other.Start();
        var mine = RateAndCpu(first, each, 1UL << 41);
        other.Join();
        Report("lease-break, two drivers (sum)", "runs/s", mine.Wall + parallel.Wall);
        Report("  per CPU-second of each driver thread", "runs/s", (mine.Cpu + parallel.Cpu) / 2);
        Report("rally in one run", "msg/s", Measure(each, () => first.Run(new RunOptions(), run => Rally.Simulated(run.Trace, 100_000))) * 100_000);
        Report("  allocated per message", "B", AllocatedPer(100_000, () => first.Run(new RunOptions(), run => Rally.Simulated(run.Trace, 100_000))));
        using (var plain = ActorSystem.Create("plain-harness", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"))
        {
            var server = plain.ActorOf(Rally.Plain(), "server");
            void PlainRally()
            {
                var done = new TaskCompletionSource<int>();
                server.Tell(new Rally.Serve(100_000, done));
                done.Task.GetAwaiter().GetResult();
            }
            Report("plain Akka rally, default dispatcher", "msg/s", Measure(each, PlainRally) * 100_000);
            Report("  allocated per message", "B", AllocatedPer(100_000, PlainRally));
            plain.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        Report("  allocated per lease-break run", "B", AllocatedPer(1, () => _ = first.Run(new RunOptions { Seed = 7 }, LeaseBreakScenario.Props).TraceSha256));
        Report("empty run (root Props.Empty), hash computed", "runs/s", Measure(each, () => _ = first.Run(new RunOptions(), _ => Props.Empty).TraceSha256));
        Report("  allocated per empty run", "B", AllocatedPer(1, () => _ = first.Run(new RunOptions(), _ => Props.Empty).TraceSha256));
        Report("idle 1 s chain", "virtual h/s", Measure(each, () => first.Run(new RunOptions { Horizon = TimeSpan.FromHours(2) },
            run => TimerChain.Props(run.Trace, 3_600, TimeSpan.FromSeconds(1)))));
        foreach (var pending in new[] { 0, 100_000 })
        {
            Report($"timer-chain step, {pending} pending", "steps/s", 200_000 * Measure(each, () => first.Run(new RunOptions { Horizon = TimeSpan.FromDays(10) },
                run => FarFutureTimers.Props(pending, TimerChain.Props(run.Trace, 200_000, TimeSpan.FromMilliseconds(1)))))); 
            Report($"scheduling {pending} far-future timers", "runs/s", Measure(each, () => first.Run(new RunOptions { Horizon = TimeSpan.FromDays(10) },
                run => FarFutureTimers.Props(pending, Props.Empty))));
        }
        Console.WriteLine($"load average afterwards {LoadAverage()}");
    }

    private static double Rate(SimulationDriver driver, TimeSpan duration, ulong firstSeed) => RateAndCpu(driver, duration, firstSeed).Wall;

    /// <summary>Lease-break runs per wall-clock second, and per second of this thread's CPU time.</summary>
    private static (double Wall, double Cpu) RateAndCpu(SimulationDriver driver, TimeSpan duration, ulong firstSeed)
    {
        var seed = firstSeed;
        var cpuBefore = ThreadCpuClock.Now();
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 100; i++) _ = driver.Run(new RunOptions { Seed = seed++ }, LeaseBreakScenario.Props).TraceSha256;
            runs += 100;
        }
        var wall = watch.Elapsed;
        var cpu = ThreadCpuClock.Now() - cpuBefore;
        return (runs / wall.TotalSeconds, cpu is { } c && c > TimeSpan.Zero ? runs / c.TotalSeconds : double.NaN);
    }

    /// <summary>Invocations per second of <paramref name="action"/>, after one warm-up call.</summary>
    private static double Measure(TimeSpan duration, Action action)
    {
        action();
        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.Elapsed < duration)
        {
            action();
            count++;
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    private static void Trace(SimulationDriver driver, ulong seed)
    {
        var r = driver.Run(new RunOptions { Seed = seed }, LeaseBreakScenario.Props);
        Console.Write(Encoding.UTF8.GetString(r.Trace.ToCanonicalBytes()));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ended by {r.EndedBy} at {r.VirtualTime}, {r.Steps} steps, {r.TimersFired} timers fired, {r.Choices.Length} choices, {r.DeadLetters} dead letters, sha256 {r.TraceSha256}"));
    }

    /// <summary>Bytes allocated (by all threads) per operation, over one call of <paramref name="action"/> doing <paramref name="operations"/>.</summary>
    private static double AllocatedPer(int operations, Action action)
    {
        action();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        action();
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)operations;
    }

    private static void Best(SimulationDriver driver, string workload, int invocations)
    {
        var days = new RunOptions { Horizon = TimeSpan.FromDays(10) };
        var seed = 0UL;
        (Action Invoke, int Operations) w = workload switch
        {
            "chain-0" => (() => driver.Run(days, run => FarFutureTimers.Props(0, TimerChain.Props(run.Trace, 200_000, TimeSpan.FromMilliseconds(1)))), 200_000),
            "chain-100k" => (() => driver.Run(days, run => FarFutureTimers.Props(100_000, TimerChain.Props(run.Trace, 200_000, TimeSpan.FromMilliseconds(1)))), 200_000),
            "schedule-100k" => (() => driver.Run(days, _ => FarFutureTimers.Props(100_000, Props.Empty)), 100_000),
            "rally" => (() => driver.Run(new RunOptions(), run => Rally.Simulated(run.Trace, 100_000)), 100_000),
            "idle-hour" => (() => driver.Run(new RunOptions { Horizon = TimeSpan.FromHours(2) }, run => TimerChain.Props(run.Trace, 3_600, TimeSpan.FromSeconds(1))), 1),
            "lease-break" => (() =>
            {
                for (var i = 0; i < 100; i++) _ = driver.Run(new RunOptions { Seed = seed++ }, LeaseBreakScenario.Props).TraceSha256;
            }, 100),
            _ => throw new ArgumentException($"Unknown workload '{workload}'.", nameof(workload)),
        };
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3)) w.Invoke();
        var perOperation = new double[invocations];
        for (var i = 0; i < invocations; i++)
        {
            var watch = Stopwatch.StartNew();
            w.Invoke();
            perOperation[i] = watch.Elapsed.TotalNanoseconds / w.Operations;
        }
        Array.Sort(perOperation);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{workload,-14} min {perOperation[0],12:N1} ns/op   median {perOperation[invocations / 2],12:N1} ns/op   ({invocations} invocations, load {LoadAverage()})"));
    }

    private static void Loop(SimulationDriver driver, TimeSpan duration)
    {
        Console.WriteLine($"lease-break on one driver for {duration.TotalSeconds} s (pid {Environment.ProcessId}), from a cold start");
        var seed = 0UL;
        var total = Stopwatch.StartNew();
        var runs = 0L;
        while (total.Elapsed < duration)
        {
            var second = Stopwatch.StartNew();
            var inSecond = 0;
            while (second.ElapsedMilliseconds < 1000)
            {
                for (var i = 0; i < 100; i++) _ = driver.Run(new RunOptions { Seed = seed++ }, LeaseBreakScenario.Props).TraceSha256;
                inSecond += 100;
            }
            runs += inSecond;
            Report($"  second {(int)total.Elapsed.TotalSeconds,3}", "runs/s", inSecond / second.Elapsed.TotalSeconds);
        }
        Report("lease-break, one driver, whole loop", "runs/s", runs / total.Elapsed.TotalSeconds);
    }

    private static void Report(string what, string unit, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-40} {value,14:N0} {unit}"));

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
