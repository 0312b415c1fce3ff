using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using LeaseActors.Benchmarks.Workloads.LeaseBreak;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Engine;

/// <summary>
/// Runs per second of the four-actor <see cref="LeaseBreakScenario"/> (about 35 messages, 8–9 timers, a 45 s
/// virtual break deadline that is cancelled or fires), each run with its own seed, its trace recorded and its
/// SHA-256 computed: on one driver, and on two drivers of the same ActorSystem on two threads at once (the
/// benchmark thread drives one, a long-lived worker thread the other). One operation is one run, so the
/// <c>Op/s</c> column of the two-driver row is the combined rate of both drivers.
/// </summary>
[Config(typeof(EngineBenchmarkConfig))]
public class EngineLeaseBreakBenchmarks
{
    /// <summary>Runs per driver per invocation (about 10 ms at the target rate).</summary>
    public const int RunsPerInvocation = 100;

    private const ulong SecondDriverSeeds = 1UL << 40;

    /// <summary>How long <see cref="WarmUp()"/> runs the scenario before BenchmarkDotNet's own stages.</summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(8);

    private ActorSystem _system = null!;
    private SimulationDriver _first = null!;
    private SimulationDriver _second = null!;
    private Thread _worker = null!;
    private readonly SemaphoreSlim _go = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private volatile bool _stopping;
    private Exception? _workerFailure;
    private string _workerHash = "";
    private ulong _firstSeed;
    private ulong _secondSeed = SecondDriverSeeds;

    [GlobalSetup]
    public void Setup()
    {
        _system = SimulationSetup.CreateSystem("engine-lease-break");
        _first = new SimulationDriver(_system);
        _second = new SimulationDriver(_system);
        Console.WriteLine("// lease-break scenario: " + ScenarioProfile.Measure(_first, _second, runs: 400));
        Console.WriteLine("// lease-break warm-up: " + WarmUp());

        _worker = new Thread(WorkerLoop) { IsBackground = true, Name = "engine-bench-second-driver" };
        _worker.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _go.Release();
        _worker.Join();
        _first.Dispose();
        _second.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary><see cref="RunsPerInvocation"/> runs on one driver, on the benchmark thread.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RunsPerInvocation)]
    public string OneDriver() => RunMany(_first, ref _firstSeed);

    /// <summary><see cref="RunsPerInvocation"/> runs on each of two drivers, on two threads at once.</summary>
    [Benchmark(OperationsPerInvoke = 2 * RunsPerInvocation)]
    public string TwoDriversInParallel()
    {
        _go.Release();
        var hash = RunMany(_first, ref _firstSeed);
        _done.Wait();
        if (_workerFailure is { } failure) throw new InvalidOperationException("The second driver's thread failed.", failure);
        return string.CompareOrdinal(hash, _workerHash) <= 0 ? hash : _workerHash;
    }

    /// <summary>
    /// Runs the scenario on both drivers at once for <see cref="WarmUpTime"/>. The scenario calls hundreds of Akka
    /// methods about once per run, and with Dynamic PGO they take seconds of load to reach their final tier: on a
    /// busy 2-core machine a cold process ran ~4,000 runs/s for about 3 s and 16,000-27,000 after 4-5 s
    /// (with <c>DOTNET_TieredCompilation=0</c> it was flat from the first second). A short job's three warm-up
    /// iterations, and BenchmarkDotNet's automatic warm-up, can take that early plateau for the steady state.
    /// </summary>
    private string WarmUp()
    {
        var seconds = new double[2];
        var watch = Stopwatch.StartNew();
        var other = new Thread(() => seconds[1] = WarmUp(_second, SecondDriverSeeds << 1)) { Name = "engine-bench-warm-up" };
        other.Start();
        seconds[0] = WarmUp(_first, SecondDriverSeeds << 2);
        other.Join();
        return string.Create(CultureInfo.InvariantCulture,
            $"{watch.Elapsed.TotalSeconds:F1} s on both drivers; last second {seconds[0]:N0} + {seconds[1]:N0} runs/s");
    }

    /// <summary>Runs the scenario for <see cref="WarmUpTime"/>; returns the rate of the last second.</summary>
    private static double WarmUp(SimulationDriver driver, ulong seed)
    {
        var watch = Stopwatch.StartNew();
        var lastSecond = Stopwatch.StartNew();
        var runsInLastSecond = 0;
        var rate = 0.0;
        while (watch.Elapsed < WarmUpTime)
        {
            _ = driver.Run(new RunOptions { Seed = seed++ }, LeaseBreakScenario.Props).TraceSha256;
            runsInLastSecond++;
            if (lastSecond.ElapsedMilliseconds >= 1000)
            {
                rate = runsInLastSecond / lastSecond.Elapsed.TotalSeconds;
                runsInLastSecond = 0;
                lastSecond.Restart();
            }
        }
        return rate;
    }

    private static string RunMany(SimulationDriver driver, ref ulong seed)
    {
        var hash = "";
        for (var i = 0; i < RunsPerInvocation; i++)
        {
            var result = driver.Run(new RunOptions { Seed = seed++ }, LeaseBreakScenario.Props);
            if (result.EndedBy != RunEndReason.Quiescence)
                throw new InvalidOperationException($"Lease-break run with seed {result.Seed} ended by {result.EndedBy}.");
            hash = result.TraceSha256;
        }
        return hash;
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _go.Wait();
            if (_stopping) return;
            try
            {
                _workerHash = RunMany(_second, ref _secondSeed);
            }
#pragma warning disable CA1031 // reported to the benchmark thread, which rethrows it
            catch (Exception e)
#pragma warning restore CA1031
            {
                _workerFailure = e;
            }
            _done.Release();
        }
    }
}

/// <summary>Checks that the scenario is deterministic and describes its average size, before it is measured.</summary>
internal static class ScenarioProfile
{
    public static string Measure(SimulationDriver first, SimulationDriver second, int runs)
    {
        long steps = 0, timers = 0, events = 0, messages = 0, forced = 0;
        var virtualTime = TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        for (var seed = 0UL; seed < (ulong)runs; seed++)
        {
            var a = first.Run(new RunOptions { Seed = seed }, LeaseBreakScenario.Props);
            var b = second.Run(new RunOptions { Seed = seed }, LeaseBreakScenario.Props);
            Checks.Expect(a.EndedBy == RunEndReason.Quiescence, $"seed {seed} ended by {a.EndedBy}");
            Checks.Expect(a.TraceSha256 == b.TraceSha256, $"seed {seed} gave different traces on two drivers");
            steps += a.Steps;
            timers += a.TimersFired;
            events += a.Trace.Entries.Count;
            virtualTime += a.VirtualTime;
            foreach (var entry in a.Trace.Entries)
            {
                if (entry.Event is not Simulation.Tracing.TraceEvent e) continue;
                if (e.Kind == "run.summary") messages += (int)e["messages"]!;
                if (e.Kind == "break.finished" && (bool)e["forced"]!) forced++;
            }
        }
        Checks.Expect(messages > 0, "no run recorded its run.summary");
        var n = (double)runs;
        return string.Create(CultureInfo.InvariantCulture,
            $"{runs} seeds deterministic on two drivers; per run on average {messages / n:F1} messages, {steps / n:F1} steps, " +
            $"{timers / n:F1} timers fired, {events / n:F1} trace events, {virtualTime.TotalSeconds / n:F1} s virtual; " +
            $"45 s deadline fired in {forced * 100 / n:F0}% of runs; setup check took {watch.ElapsedMilliseconds} ms for {2 * runs} runs");
    }
}
