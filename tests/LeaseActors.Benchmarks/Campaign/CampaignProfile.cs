using System.Diagnostics;
using System.Globalization;
using LeaseActors.Campaigns;
using LeaseActors.Judging;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// <c>--campaign-profile</c>: where a campaign's time goes, by Stopwatch, on one thread. The same seeds
/// (<c>Derive(0, i)</c>, i = 0, 1, …, as the campaign's) are run at each layer — the raw scenario on the driver, the
/// raw scenario plus its trace hash, with the judge's monitors, judged phase by phase, through
/// <see cref="LeaseActors.Topologies.TopologyRunner"/>, through <see cref="CampaignRunner"/> with one worker (as
/// <c>leaseactors chaos --parallel 1</c>), and the same with each run's JSON line formatted (as with <c>--out</c>) —
/// each layer for the same number of runs, rows interleaved in rounds so that the machine's load hits them alike.
/// Then it prints the judged runs' step, timer and event distributions and which runs the time went to.
/// Options: <c>--runs N</c> per row and round (default 2,000), <c>--rounds R</c> (default 3), <c>--topology F</c>,
/// <c>--chaos F|none</c>, <c>--policy P</c>.
/// </summary>
internal static class CampaignProfile
{
    public static int Run(string[] args)
    {
        var runs = (int)BenchEnvironment.Number(args, "--runs", 2_000);
        var rounds = (int)BenchEnvironment.Number(args, "--rounds", 3);
        var (topology, plan, policy, description) = BenchEnvironment.Scenario(args);
        var scenario = new ScenarioRuns(topology, plan, policy);
        Console.WriteLine($"campaign profile: {description}; {runs} runs per row and round, {rounds} rounds, one thread");
        Console.WriteLine("start: " + BenchEnvironment.Stamp());
        using var system = BenchEnvironment.SimulationSystem("campaign-profile");
        var driver = new SimulationDriver(system);
        ulong Seed(int i) => DeterministicRandom.Derive(0, i);

        // Warm-up: every layer, so that tiered compilation has reached the code of each before timing.
        var warm = Stopwatch.StartNew();
        for (var i = 0; warm.Elapsed < TimeSpan.FromSeconds(6); i++)
        {
            scenario.Raw(driver, Seed(i));
            scenario.Judged(driver, Seed(i));
        }
        Console.WriteLine(F($"warm-up done in {warm.Elapsed.TotalSeconds:F1} s; load {BenchEnvironment.Load()}"));

        var rows = new (string Name, Func<(double Seconds, double CpuSeconds, long Allocated)> Measure)[]
        {
            ("raw driver.Run", () => Loop(runs, i => scenario.Raw(driver, Seed(i)))),
            ("raw + trace SHA-256", () => Loop(runs, i => _ = scenario.Raw(driver, Seed(i)).TraceSha256)),
            ("raw + monitors", () => Loop(runs, i => scenario.WithMonitors(driver, Seed(i)))),
            ("TopologyRunner.Run", () => Loop(runs, i => scenario.TopologyRunnerRun(driver, Seed(i)))),
            ("CampaignRunner p1 + summary", () => Campaign(system, scenario, plan, policy, runs, jsonLines: false)),
            ("CampaignRunner p1 + JSON line", () => Campaign(system, scenario, plan, policy, runs, jsonLines: true)),
        };
        var seen = rows.ToDictionary(r => r.Name, _ => new List<(double Seconds, double CpuSeconds, long Allocated)>());
        var phases = new List<ScenarioRuns.Phases>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, measure) in rows) seen[name].Add(measure());
            phases.Clear();
            for (var i = 0; i < runs; i++) phases.Add(scenario.Judged(driver, Seed(i)));
            Console.WriteLine(F($"round {round} done; load {BenchEnvironment.Load()}"));
        }

        Console.WriteLine();
        Console.WriteLine("per run, best round of each row (wall µs; µs of this thread's CPU for the rows on this thread, process CPU for CampaignRunner; bytes allocated):");
        var baseline = seen["raw driver.Run"].Min(s => s.Seconds);
        foreach (var (name, _) in rows)
        {
            var best = seen[name].MinBy(s => s.Seconds);
            Console.WriteLine(F($"  {name,-32} {1e6 * best.Seconds / runs,9:F1} µs  {runs / best.Seconds,8:F0} runs/s  cpu {1e6 * best.CpuSeconds / runs,9:F1} µs  {best.Allocated / runs,9:N0} B  x{best.Seconds / baseline:F2} of raw"));
        }

        var ticks = (double)Stopwatch.Frequency;
        double Us(long t) => 1e6 * t / ticks / runs;
        var run = phases.Sum(p => p.Run);
        var hash = phases.Sum(p => p.Hash);
        var judge = phases.Sum(p => p.Judge);
        var total = (double)(run + hash + judge);
        Console.WriteLine();
        Console.WriteLine(F($"judged runs, phase by phase (last round): run with monitors {Us(run):F1} µs ({100 * run / total:F1}%), trace SHA-256 {Us(hash):F1} µs ({100 * hash / total:F1}%), Judge + expectation {Us(judge):F1} µs ({100 * judge / total:F1}%); {phases.Average(p => p.Allocated):N0} B allocated per run"));
        Console.WriteLine(F($"  verdicts: {string.Join(", ", phases.GroupBy(p => p.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Key.Name()} {g.Count()}"))}"));
        Print("steps", phases.Select(p => (double)p.Steps).ToArray());
        Print("timers fired", phases.Select(p => (double)p.Timers).ToArray());
        Print("trace events", phases.Select(p => (double)p.Events).ToArray());
        Print("wall µs", phases.Select(p => 1e6 * (p.Run + p.Hash + p.Judge) / ticks).ToArray());
        var bySteps = phases.OrderByDescending(p => p.Steps).ToArray();
        foreach (var share in new[] { 0.01, 0.1 })
        {
            var top = bySteps.Take(Math.Max(1, (int)(runs * share))).ToArray();
            Console.WriteLine(F($"  the {100 * share:F0}% of runs with the most steps: {100.0 * top.Sum(p => p.Steps) / phases.Sum(p => p.Steps):F1}% of all steps, {100.0 * top.Sum(p => p.Run + p.Hash + p.Judge) / total:F1}% of the time, {100.0 * top.Sum(p => p.Allocated) / phases.Sum(p => p.Allocated):F1}% of the allocations"));
        }
        var perStep = phases.Sum(p => (double)(p.Run + p.Hash + p.Judge)) / ticks * 1e9 / phases.Sum(p => p.Steps);
        var perEvent = phases.Sum(p => (double)(p.Run + p.Hash + p.Judge)) / ticks * 1e9 / phases.Sum(p => p.Events);
        Console.WriteLine(F($"  overall {perStep:F0} ns per step, {perEvent:F0} ns per trace event, {phases.Sum(p => (double)p.Allocated) / phases.Sum(p => p.Steps):F0} B per step"));
        driver.Dispose();
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        Console.WriteLine("end: " + BenchEnvironment.Stamp());
        return 0;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void Print(string what, double[] values)
    {
        Array.Sort(values);
        double P(double p) => values[Math.Min(values.Length - 1, (int)(p / 100 * values.Length))];
        Console.WriteLine(F($"  {what,-14} mean {values.Average(),10:F1}  p50 {P(50),10:F0}  p90 {P(90),10:F0}  p99 {P(99),10:F0}  max {values[^1],10:F0}"));
    }

    private static (double, double, long) Loop(int runs, Action<int> body)
    {
        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Harness.ThreadCpuClock.Now() ?? TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++) body(i);
        var seconds = clock.Elapsed.TotalSeconds;
        return (seconds, ((Harness.ThreadCpuClock.Now() ?? TimeSpan.Zero) - cpu).TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    private static (double, double, long) Campaign(Akka.Actor.ActorSystem system, ScenarioRuns scenario, Chaos.ChaosPlan? plan, string policy, int runs, bool jsonLines)
    {
        GC.Collect();
        var summary = new CampaignSummary();
        var options = new CampaignOptions { Topology = scenario.Topology, Policy = policy, Chaos = plan, Runs = runs, Seed = 0, Parallel = 1 };
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = BenchEnvironment.ProcessCpu();
        var clock = Stopwatch.StartNew();
        CampaignRunner.Run(system, options, run =>
        {
            if (jsonLines) TextWriter.Null.WriteLine(CampaignResultsFile.Line(run));
            summary.Add(run.Index, run.Report.Seed, run.Report.Verdict, run.Report.WorstSlackMs);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        return (seconds, (BenchEnvironment.ProcessCpu() - cpu).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }
}
