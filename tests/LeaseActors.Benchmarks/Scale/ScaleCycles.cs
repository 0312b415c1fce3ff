using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using LeaseActors.Benchmarks.Campaign;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Benchmarks.Scale;

/// <summary>
/// <c>--scale-cycles [--processes 100000] [--files 10000] [--rounds 1] [--trace both|on|off] [--seed 0] [--warmup 1000]</c>:
/// one simulated emulation of the <see cref="LeaseCycleWorkload"/> per variant (with the run's trace recorded, and with
/// the kernel recording no trace), each in a fresh process (<c>--scale-cycles-one</c>) so that its peak working set is
/// its own. Each child first runs a small warm-up emulation (<c>--warmup</c> processes, a tenth as many files; 0 for
/// none), then the measured one, and prints wall time, driver steps (mailbox turns), timers, syscalls and trace events
/// per wall second, and VmHWM. The traced run's trace is checked: every cycle broke the lease, signalled and ran the
/// holder's handler, which unlocked, and the breaker's open returned; every syscall succeeded; every process exited.
/// The parent checks that both variants took the same steps, timers and virtual time (a trace changes no behaviour).
/// </summary>
internal static class ScaleCycles
{
    private const string ResultPrefix = "scale-cycles-result ";

    public static int Run(string[] args)
    {
        var variants = BenchEnvironment.Option(args, "--trace", "both") switch
        {
            "both" => new[] { "on", "off" },
            "on" => ["on"],
            "off" => ["off"],
            var other => throw new ArgumentException($"--trace must be both, on or off, was {other}."),
        };
        var passOn = args.Where((a, i) => a != "--trace" && (i == 0 || args[i - 1] != "--trace")).ToArray();
        Console.WriteLine("scale cycles: one emulation per variant, each in a fresh process");
        Console.WriteLine("start: " + BenchEnvironment.Stamp());
        var results = new List<Dictionary<string, string>>();
        foreach (var variant in variants)
        {
            var result = ChildProcess.Run(ResultPrefix, ["--scale-cycles-one", "--trace", variant, .. passOn]);
            if (result is null) return 1;
            results.Add(result);
        }
        Console.WriteLine();
        Console.WriteLine("summary (rates are per wall second of the measured driver.Run; syscalls counted in the traced run, computed in the other):");
        foreach (var r in results)
        {
            Console.WriteLine(F($"  trace {r["trace"],-3}: {r["processes"]} processes, {r["files"]} files, {r["cycles"]} break cycles in {r["seconds"]} s: ")
                + F($"{r["syscalls_per_s"]} syscalls/s, {r["events_per_s"]} trace events/s, {r["steps_per_s"]} steps/s, {r["cycles_per_s"]} cycles/s; ")
                + F($"peak working set (VmHWM) {long.Parse(r["vmhwm_kib"], CultureInfo.InvariantCulture) / 1024.0:F0} MiB; load {r["load"]}"));
        }
        if (results.Count == 2)
        {
            var same = results[0]["steps"] == results[1]["steps"] && results[0]["timers"] == results[1]["timers"] && results[0]["virtual_ms"] == results[1]["virtual_ms"];
            Console.WriteLine(same
                ? "  both variants took the same steps, timers and virtual time"
                : "  the variants differ in steps, timers or virtual time: the trace changed behaviour");
            if (!same) return 1;
            var on = double.Parse(results[0]["seconds"], CultureInfo.InvariantCulture);
            var off = double.Parse(results[1]["seconds"], CultureInfo.InvariantCulture);
            Console.WriteLine(F($"  wall time without / with the trace: {off / on:F2}; peak working set without / with: {double.Parse(results[1]["vmhwm_kib"], CultureInfo.InvariantCulture) / double.Parse(results[0]["vmhwm_kib"], CultureInfo.InvariantCulture):F2}"));
        }
        Console.WriteLine("end: " + BenchEnvironment.Stamp());
        return 0;
    }

    public static int RunOne(string[] args)
    {
        var traced = BenchEnvironment.Option(args, "--trace", "on") == "on";
        var workload = LeaseCycleWorkload.For((int)BenchEnvironment.Number(args, "--processes", 100_000),
            (int)BenchEnvironment.Number(args, "--files", 10_000), (int)BenchEnvironment.Number(args, "--rounds", 1));
        var seed = (ulong)BenchEnvironment.Number(args, "--seed", 0);
        var warmup = (int)BenchEnvironment.Number(args, "--warmup", 1000);
        Console.WriteLine(F($"scale cycles, trace {(traced ? "on" : "off")}: {workload.Processes} processes ({workload.Files} holders, {workload.Breakers} breakers per file), {workload.Files} files, {workload.Rounds} round(s): {workload.Cycles} break cycles; seed {seed}"));
        Console.WriteLine("  start: " + BenchEnvironment.Stamp());
        using var system = BenchEnvironment.SimulationSystem("scale-cycles");
        using var driver = new SimulationDriver(system);
        if (warmup > 0)
        {
            var small = LeaseCycleWorkload.For(warmup, Math.Max(1, warmup / 10), 1);
            var warm = Stopwatch.StartNew();
            var w = RunWorkload(driver, small, traced, seed);
            Console.WriteLine(F($"  warm-up: {small.Processes} processes, {small.Files} files, {w.Result.Steps} steps in {warm.Elapsed.TotalSeconds:F2} s"));
        }
        var run = RunWorkload(driver, workload, traced, seed);
        var seconds = run.Seconds;
        var result = run.Result;
        Console.WriteLine(F($"  scenario built in {run.BuildSeconds:F2} s; run ({result.EndedBy}) in {seconds:F2} s wall, {run.CpuSeconds:F2} s process CPU; {result.Steps} steps, {result.TimersFired} timers, {result.VirtualTime.TotalMilliseconds:F0} ms virtual"));
        Checks.Expect(result.EndedBy == RunEndReason.Quiescence, $"the run ended by {result.EndedBy}, not quiescence");
        Checks.Expect(result.Failures.IsEmpty, "the run failed: " + string.Join("; ", result.Failures));
        Checks.Expect(result.DeadLetters == 0, $"{result.DeadLetters} dead letters ({string.Join(", ", result.DeadLetterSamples)})");
        long events = result.Trace.Entries.Count;
        var syscalls = workload.Syscalls;
        if (traced)
        {
            var counted = CheckTrace(result.Trace, workload);
            Checks.Expect(counted == workload.Syscalls, $"the trace has {counted} syscalls, the workload {workload.Syscalls}");
            syscalls = counted;
            Console.WriteLine("  trace SHA-256 " + result.TraceSha256);
        }
        var hwm = BenchEnvironment.StatusKiB("VmHWM");
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(F($"  {syscalls / seconds:F0} syscalls/s, {events / seconds:F0} trace events/s ({events} events), {result.Steps / seconds:F0} steps/s, {workload.Cycles / seconds:F0} break cycles/s"));
        Console.WriteLine(F($"  peak working set: VmHWM {hwm / 1024.0:F1} MiB, PeakWorkingSet64 {self.PeakWorkingSet64 / 1048576.0:F1} MiB; GC heap now {GC.GetTotalMemory(false) / 1048576.0:F1} MiB; gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
        Console.WriteLine("  end: " + BenchEnvironment.Stamp());
        Console.WriteLine(F($"{ResultPrefix}trace={(traced ? "on" : "off")} processes={workload.Processes} files={workload.Files} cycles={workload.Cycles} seconds={seconds:F2} cpu_seconds={run.CpuSeconds:F2} ")
            + F($"steps={result.Steps} timers={result.TimersFired} virtual_ms={result.VirtualTime.TotalMilliseconds:F3} events={events} syscalls={syscalls} ")
            + F($"syscalls_per_s={syscalls / seconds:F0} events_per_s={events / seconds:F0} steps_per_s={result.Steps / seconds:F0} cycles_per_s={workload.Cycles / seconds:F0} ")
            + F($"vmhwm_kib={hwm} peak_ws_bytes={self.PeakWorkingSet64} load={BenchEnvironment.Load().Replace(' ', '/')}"));
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        return 0;
    }

    internal sealed record Measured(RunResult Result, double Seconds, double CpuSeconds, double BuildSeconds);

    /// <summary>Builds the workload's scenario and runs it once on <paramref name="driver"/>; times the run alone.</summary>
    internal static Measured RunWorkload(SimulationDriver driver, LeaseCycleWorkload workload, bool traced, ulong seed)
    {
        var build = Stopwatch.StartNew();
        var scenario = workload.Scenario();
        var buildSeconds = build.Elapsed.TotalSeconds;
        var options = new RunOptions { Seed = seed, StepLimit = long.MaxValue };
        var cpu = BenchEnvironment.ProcessCpu();
        var clock = Stopwatch.StartNew();
        var result = driver.Run(options, run => LeaseCycleWorkload.Root(scenario, run, traced));
        var seconds = clock.Elapsed.TotalSeconds;
        return new Measured(result, seconds, (BenchEnvironment.ProcessCpu() - cpu).TotalSeconds, buildSeconds);
    }

    /// <summary>Checks that every cycle went break → signal → handler → unlock → breaker proceeds; returns the syscalls counted.</summary>
    private static long CheckTrace(RunTrace trace, LeaseCycleWorkload workload)
    {
        var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
        long syscalls = 0, failed = 0, unblockedNoConflict = 0, handlersReturned = 0, removedByUnlock = 0, sigio = 0;
        foreach (var entry in trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            kinds[e.Kind] = kinds.GetValueOrDefault(e.Kind) + 1;
            switch (e.Kind)
            {
                case "syscall.exit":
                    syscalls++;
                    if (e["errno"] is not null) failed++;
                    break;
                case "breaker.unblocked" when (string?)e["how"] == "no conflict": unblockedNoConflict++; break;
                case "handler.end" when (string?)e["outcome"] == "returned": handlersReturned++; break;
                case "lease.removed" when (string?)e["reason"] == "Holder": removedByUnlock++; break;
                case "signal.delivered" when (string?)e["signal"] == "SIGIO" && (string?)e["action"] == "handler": sigio++; break;
            }
        }
        Console.WriteLine("  trace events by kind: " + string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => F($"{k.Key} {k.Value}"))));
        var cycles = workload.Cycles;
        Checks.Expect(kinds.GetValueOrDefault("lease.break") == cycles, F($"{kinds.GetValueOrDefault("lease.break")} lease breaks for {cycles} cycles"));
        Checks.Expect(kinds.GetValueOrDefault("breaker.blocked") == cycles, F($"{kinds.GetValueOrDefault("breaker.blocked")} breakers blocked for {cycles} cycles"));
        Checks.Expect(sigio == cycles, F($"{sigio} SIGIOs delivered to a handler for {cycles} cycles"));
        Checks.Expect(handlersReturned == cycles, F($"{handlersReturned} handlers returned for {cycles} cycles"));
        Checks.Expect(removedByUnlock == cycles, F($"{removedByUnlock} leases removed by the holder (F_UNLCK) for {cycles} cycles"));
        Checks.Expect(unblockedNoConflict == cycles, F($"{unblockedNoConflict} breakers unblocked with no conflict left for {cycles} cycles"));
        Checks.Expect(failed == 0, F($"{failed} syscalls failed"));
        Checks.Expect(kinds.GetValueOrDefault("process.exited") == workload.Processes, F($"{kinds.GetValueOrDefault("process.exited")} of {workload.Processes} processes exited"));
        return syscalls;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
