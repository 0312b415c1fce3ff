using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Akka.Actor;
using LeaseActors.Benchmarks.Campaign;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Scale;

/// <summary>
/// <c>--scale-idle [--count 1000000] [--trace both|on|off] [--hold S]</c>: the memory of idle actors inside one simulated
/// run, each kind in a fresh process (<c>--scale-idle-one --kind akka|processes</c>):
/// <list type="bullet">
/// <item><c>akka</c>, the baseline: a parent actor creates <c>--count</c> children of an empty <see cref="UntypedActor"/>
/// class (one shared <see cref="Props"/>), one per message, each acknowledged to the run's root, as the kernel does
/// with <see cref="EmulatedKernel.Spawn"/>;</item>
/// <item><c>processes</c>: an emulated kernel spawns <c>--count</c> processes (<see cref="EmulatedKernel.Spawn"/> with
/// an empty program and <c>ExitAtEnd = false</c>) and starts them, with or without the run's trace recorded.</item>
/// </list>
/// Both run on the simulation driver's dispatcher under the same kind of root. The GC heap is measured after a full,
/// blocking, compacting collection (large-object heap included) when the root starts and again once everything is
/// idle (a 1 s virtual timer, which fires only when no mailbox has work left); the difference divided by the count is
/// the bytes per actor. The parent prints bytes per process minus bytes per baseline actor (target ≤ 1 KiB).
/// <c>--hold S</c> keeps the child at the measurement point for S seconds (pid printed) so that
/// <c>dotnet-gcdump collect -p PID</c> can take a heap snapshot.
/// </summary>
internal static class ScaleIdle
{
    private const string ResultPrefix = "scale-idle-result ";

    public static int Run(string[] args)
    {
        var traces = BenchEnvironment.Option(args, "--trace", "both") switch
        {
            "both" => new[] { "off", "on" },
            "on" => ["on"],
            "off" => ["off"],
            var other => throw new ArgumentException($"--trace must be both, on or off, was {other}."),
        };
        var passOn = args.Where((a, i) => a != "--trace" && (i == 0 || args[i - 1] != "--trace")).ToArray();
        Console.WriteLine("scale idle: each kind in a fresh process");
        Console.WriteLine("start: " + BenchEnvironment.Stamp());
        var baseline = ChildProcess.Run(ResultPrefix, ["--scale-idle-one", "--kind", "akka", .. passOn]);
        if (baseline is null) return 1;
        var processes = new List<Dictionary<string, string>>();
        foreach (var trace in traces)
        {
            var result = ChildProcess.Run(ResultPrefix, ["--scale-idle-one", "--kind", "processes", "--trace", trace, .. passOn]);
            if (result is null) return 1;
            processes.Add(result);
        }
        Console.WriteLine();
        var akka = double.Parse(baseline["bytes_per_actor"], CultureInfo.InvariantCulture);
        Console.WriteLine(F($"summary ({baseline["count"]} actors each):"));
        Console.WriteLine(F($"  Akka baseline (empty actor):     {akka,8:F1} B per actor, peak working set {Mib(baseline["vmhwm_kib"])} MiB; load {baseline["load"]}"));
        foreach (var p in processes)
        {
            var bytes = double.Parse(p["bytes_per_actor"], CultureInfo.InvariantCulture);
            var beyond = bytes - akka;
            Console.WriteLine(F($"  emulated process, trace {p["trace"],-3}:    {bytes,8:F1} B per process, {beyond,7:F1} B beyond the baseline ({bytes / akka:F2}x); ")
                + F($"{(beyond <= 1024 ? "within" : "over")} the 1 KiB target; peak working set {Mib(p["vmhwm_kib"])} MiB; load {p["load"]}"));
        }
        Console.WriteLine("end: " + BenchEnvironment.Stamp());
        return 0;
    }

    public static int RunOne(string[] args)
    {
        var kind = BenchEnvironment.Option(args, "--kind", "processes");
        if (kind is not ("akka" or "processes")) throw new ArgumentException($"--kind must be akka or processes, was {kind}.");
        var traced = BenchEnvironment.Option(args, "--trace", "off") == "on";
        var count = (int)BenchEnvironment.Number(args, "--count", 1_000_000);
        var hold = BenchEnvironment.Number(args, "--hold", 0);
        var label = kind == "akka" ? "akka" : "processes, trace " + (traced ? "on" : "off");
        Console.WriteLine(F($"scale idle ({label}): {count} actors; pid {Environment.ProcessId}"));
        Console.WriteLine("  start: " + BenchEnvironment.Stamp());
        using var system = BenchEnvironment.SimulationSystem("scale-idle");
        using var driver = new SimulationDriver(system);
        // Warm-up: the same shape at a small size, so that code and statics are in place before the measured run.
        _ = Measure(driver, kind, traced, 1000, 0);
        var clock = Stopwatch.StartNew();
        var m = Measure(driver, kind, traced, count, hold);
        var seconds = clock.Elapsed.TotalSeconds;
        var perActor = (double)(m.After - m.Before) / count;
        var hwm = BenchEnvironment.StatusKiB("VmHWM");
        Console.WriteLine(F($"  run ({m.Result.EndedBy}, {m.Result.Steps} steps) in {seconds:F1} s; {m.Acks} acknowledgements; trace events {m.Result.Trace.Entries.Count}"));
        Console.WriteLine(F($"  GC heap after a compacting full collection: {m.Before / 1048576.0:F1} MiB before, {m.After / 1048576.0:F1} MiB with {count} idle actors ")
            + F($"(GC heap size {m.HeapSizeAfter / 1048576.0:F1} MiB, promoted {m.PromotedAfter / 1048576.0:F1} MiB): {perActor:F1} B per actor"));
        Console.WriteLine(F($"  peak working set (VmHWM) {hwm / 1024.0:F1} MiB"));
        Console.WriteLine("  end: " + BenchEnvironment.Stamp());
        Checks.Expect(m.Result.EndedBy == RunEndReason.Quiescence, $"the run ended by {m.Result.EndedBy}");
        Checks.Expect(m.Result.Failures.IsEmpty, "the run failed: " + string.Join("; ", m.Result.Failures));
        Checks.Expect(m.Acks == count, $"{m.Acks} of {count} actors acknowledged");
        Console.WriteLine(F($"{ResultPrefix}kind={kind} trace={(traced ? "on" : "off")} count={count} before={m.Before} after={m.After} bytes_per_actor={perActor:F1} ")
            + F($"heap_size_after={m.HeapSizeAfter} promoted_after={m.PromotedAfter} vmhwm_kib={hwm} seconds={seconds:F1} load={BenchEnvironment.Load().Replace(' ', '/')}"));
        system.Terminate().Wait(TimeSpan.FromSeconds(30));
        return 0;
    }

    private sealed class Measurement
    {
        public long Before { get; set; }
        public long After { get; set; }
        public long HeapSizeAfter { get; set; }
        public long PromotedAfter { get; set; }
        public int Acks { get; set; }
        public RunResult Result { get; set; } = null!;
    }

    private static Measurement Measure(SimulationDriver driver, string kind, bool traced, int count, double holdSeconds)
    {
        var m = new Measurement();
        var options = new RunOptions { Seed = 0, StepLimit = long.MaxValue };
        m.Result = driver.Run(options, run =>
        {
            var trace = traced ? run.Trace : null;
            var random = run.DeriveRandom("kernel");
            return Props.Create(() => new IdleRoot(kind, count, trace, random, m, holdSeconds));
        });
        return m;
    }

    /// <summary>A full, blocking, compacting collection (large-object heap too), then the bytes the GC counts as allocated.</summary>
    private static long CollectedHeap()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(false);
    }

    private sealed record MeasureNow;

    private sealed record MakeChild(string Name);

    private sealed record Made;

    /// <summary>The run's root: measures the heap, has <c>count</c> actors made, and measures again once all is idle.</summary>
    private sealed class IdleRoot : UntypedActor, IWithTimers
    {
        private readonly Measurement _m;
        private readonly double _holdSeconds;

        public IdleRoot(string kind, int count, Simulation.Tracing.RunTrace? trace, DeterministicRandom random, Measurement m, double holdSeconds)
        {
            _m = m;
            _holdSeconds = holdSeconds;
            m.Before = CollectedHeap();
            if (kind == "akka")
            {
                var parent = Context.ActorOf(Props.Create<Parent>(), "kernel");
                for (var i = 0; i < count; i++) parent.Tell(new MakeChild("proc-" + (100 + i).ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                var kernel = Context.ActorOf(EmulatedKernel.Props(new KernelOptions(), trace, random), "kernel");
                for (var i = 0; i < count; i++)
                    kernel.Tell(new EmulatedKernel.Spawn("p" + i.ToString(CultureInfo.InvariantCulture), [], ExitAtEnd: false));
                kernel.Tell(new EmulatedKernel.Start());
            }
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartSingleTimer("measure", new MeasureNow(), TimeSpan.FromSeconds(1));

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Made or EmulatedKernel.Spawned:
                    _m.Acks++;
                    break;
                case MeasureNow:
                    _m.After = CollectedHeap();
                    var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                    _m.HeapSizeAfter = info.HeapSizeBytes;
                    _m.PromotedAfter = info.PromotedBytes;
                    if (_holdSeconds > 0)
                    {
                        Console.WriteLine(F($"  holding {_holdSeconds} s at the measurement point: dotnet-gcdump collect -p {Environment.ProcessId}"));
                        Thread.Sleep(TimeSpan.FromSeconds(_holdSeconds)); // a diagnostic pause, outside any measurement
                    }
                    break;
            }
        }
    }

    /// <summary>Stands in for the kernel: makes one empty child per request and acknowledges it.</summary>
    private sealed class Parent : UntypedActor
    {
        private static readonly Props EmptyProps = Props.Create<Empty>();

        protected override void OnReceive(object message)
        {
            if (message is not MakeChild make) return;
            Context.ActorOf(EmptyProps, make.Name);
            Sender.Tell(new Made());
        }
    }

    /// <summary>The smallest actor: no state, ignores everything.</summary>
    private sealed class Empty : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            // Idle by design.
        }
    }

    private static string Mib(string kib) => (long.Parse(kib, CultureInfo.InvariantCulture) / 1024.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
