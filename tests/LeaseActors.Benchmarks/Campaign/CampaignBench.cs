using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using LeaseActors.Campaigns;
using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// <c>--campaign</c>: issue 6's performance comparison in one invocation. A chaos campaign of the RDMA seed scenario
/// (configs/topologies/rdma-seed.conf, policy mr-holds-lease, configs/chaos/delays.conf) through
/// <see cref="CampaignRunner"/>, as <c>leaseactors chaos … --no-shrink</c> runs it without <c>--out</c>, with
/// <c>--parallel 1</c> and <c>2</c>; the same scenario as plain Akka.NET actors (<see cref="PlainAkkaRdmaSeed"/>) with
/// one and two runs in flight; and as a Coyote actors model under Coyote's TestingEngine
/// (<see cref="CoyoteRdmaSeed"/>). Prints runs/s, runs per process CPU-second, and the ratios against the targets.
/// Options: <c>--seconds S</c> per measured row (default 10), <c>--rounds R</c> (p1/p2 pairs, default 2),
/// <c>--warmup S</c> and <c>--warmup-runs N</c> (at least 8 s and 20,000 runs), <c>--coyote-iterations N</c> (default 300), <c>--topology F</c>, <c>--chaos F</c>,
/// <c>--policy P</c>, <c>--only-leaseactors</c> (skip the plain Akka.NET and Coyote rows, to compare settings such as
/// the GC's quickly).
/// </summary>
internal static class CampaignBench
{
    public static int Run(string[] args)
    {
        var seconds = BenchEnvironment.Number(args, "--seconds", 10);
        var rounds = (int)BenchEnvironment.Number(args, "--rounds", 2);
        var warmup = BenchEnvironment.Number(args, "--warmup", 8);
        var warmupRuns = (long)BenchEnvironment.Number(args, "--warmup-runs", 20_000);
        var coyoteIterations = (uint)BenchEnvironment.Number(args, "--coyote-iterations", 300);
        var onlyLeaseActors = args.Contains("--only-leaseactors");
        var (topology, plan, policy, description) = BenchEnvironment.Scenario(args);
        Console.WriteLine($"campaign bench: {description}; {seconds} s per row, {rounds} round(s), warm-up at least {warmup} s and {warmupRuns} runs");
        Console.WriteLine("start: " + BenchEnvironment.Stamp());

        var results = new List<(string Row, Rate Rate)>();
        using (var system = BenchEnvironment.SimulationSystem("campaign-bench"))
        {
            // Warm-up by seconds and by runs: a cold process on a loaded machine runs a few hundred runs/s for several
            // seconds before tiered compilation and Dynamic PGO have reached the kernel's code.
            var warm = new Rate(0, 0, 0, 0);
            while (warm.Seconds < warmup || warm.Runs < warmupRuns)
            {
                var part = Campaign(system, topology, plan, policy, 2, Math.Max(2, warmup / 4));
                warm = new Rate(warm.Runs + part.Runs, warm.Seconds + part.Seconds, warm.CpuSeconds + part.CpuSeconds, 0);
                Console.WriteLine(F($"  warm-up slice: {part.PerSecond:F0} runs/s"));
            }
            Console.WriteLine(F($"warm-up: {warm.Runs} runs in {warm.Seconds:F1} s ({warm.PerSecond:F0} runs/s, parallel 2)"));
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var parallel in new[] { 1, 2 })
                {
                    var rate = Campaign(system, topology, plan, policy, parallel, seconds);
                    results.Add(($"leaseactors-p{parallel}", rate));
                    Print($"round {round}: LeaseActors campaign, --parallel {parallel}", rate);
                }
            }
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }

        if (onlyLeaseActors)
        {
            var p1 = results.Where(r => r.Row == "leaseactors-p1").Max(r => r.Rate.PerSecond);
            var p2 = results.Where(r => r.Row == "leaseactors-p2").Max(r => r.Rate.PerSecond);
            Console.WriteLine(F($"summary: --parallel 1 {p1:F0} runs/s, --parallel 2 {p2:F0} runs/s (target >= 10,000), ratio {p2 / p1:F2} (target >= 1.6)"));
            Console.WriteLine("end: " + BenchEnvironment.Stamp());
            return 0;
        }

        using (var plain = ActorSystem.Create("plain-akka", BenchEnvironment.Quiet))
        {
            var warm = Plain(plain, 2, Math.Min(warmup, 3));
            Console.WriteLine(F($"plain Akka warm-up: {warm.Runs} runs ({warm.PerSecond:F0} runs/s)"));
            foreach (var inFlight in new[] { 1, 2 })
            {
                var rate = Plain(plain, inFlight, seconds);
                results.Add(($"plain-akka-{inFlight}", rate));
                Print($"plain Akka.NET actors, {inFlight} run(s) in flight", rate);
            }
            plain.Terminate().Wait(TimeSpan.FromSeconds(10));
        }

        var coyoteWarm = Coyote(Math.Min(coyoteIterations, 30u));
        Console.WriteLine(F($"Coyote warm-up: {coyoteWarm.Runs} iterations ({coyoteWarm.PerSecond:F1} iterations/s)"));
        var coyote = Coyote(coyoteIterations);
        results.Add(("coyote", coyote));
        Print("Coyote actors under TestingEngine (iterations)", coyote);

        double Best(string row) => results.Where(r => r.Row == row).Max(r => r.Rate.PerSecond);
        double BestCpu(string row) => results.Where(r => r.Row == row).Max(r => r.Rate.PerCpuSecond);
        var pairs = results.Where(r => r.Row.StartsWith("leaseactors", StringComparison.Ordinal)).Select(r => r.Rate.PerSecond).Chunk(2).Where(c => c.Length == 2).Select(c => c[1] / c[0]).ToArray();
        Console.WriteLine();
        Console.WriteLine("summary (best of the rounds for each row):");
        Console.WriteLine(F($"  LeaseActors --parallel 1      {Best("leaseactors-p1"),10:F0} runs/s   ({BestCpu("leaseactors-p1"):F0} per process CPU-second)"));
        Console.WriteLine(F($"  LeaseActors --parallel 2      {Best("leaseactors-p2"),10:F0} runs/s   ({BestCpu("leaseactors-p2"):F0} per process CPU-second)   target >= 10,000 runs/s"));
        Console.WriteLine(F($"  plain Akka.NET, 1 in flight   {Best("plain-akka-1"),10:F0} runs/s   ({BestCpu("plain-akka-1"):F0} per process CPU-second)"));
        Console.WriteLine(F($"  plain Akka.NET, 2 in flight   {Best("plain-akka-2"),10:F0} runs/s   ({BestCpu("plain-akka-2"):F0} per process CPU-second)"));
        Console.WriteLine(F($"  Coyote TestingEngine          {Best("coyote"),10:F1} iterations/s ({BestCpu("coyote"):F1} per process CPU-second)"));
        Console.WriteLine(F($"  ratio parallel 2 / 1, per round: {string.Join(", ", pairs.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))}; of the best rows {Best("leaseactors-p2") / Best("leaseactors-p1"):F2}   target >= 1.6"));
        Console.WriteLine(F($"  ratio LeaseActors / plain Akka: p1 vs 1 in flight {Best("leaseactors-p1") / Best("plain-akka-1"):F2}, p2 vs 2 in flight {Best("leaseactors-p2") / Best("plain-akka-2"):F2}"));
        Console.WriteLine(F($"  ratio LeaseActors / Coyote: p1 {Best("leaseactors-p1") / Best("coyote"):F0}x, p2 {Best("leaseactors-p2") / Best("coyote"):F0}x   target >= 200x"));
        Console.WriteLine("end: " + BenchEnvironment.Stamp());
        return 0;
    }

    /// <summary>Runs done, wall seconds, process CPU seconds, the late verdicts seen, and the GC's share while it ran.</summary>
    internal readonly record struct Rate(long Runs, double Seconds, double CpuSeconds, long NotClean, GcShare Gc = default)
    {
        public double PerSecond => Runs / Seconds;
        public double PerCpuSecond => CpuSeconds > 0 ? Runs / CpuSeconds : double.NaN;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void Print(string what, Rate rate) => Console.WriteLine(F(
        $"{what}: {rate.Runs} in {rate.Seconds:F2} s = {rate.PerSecond:F1}/s; {rate.PerCpuSecond:F1} per process CPU-second; not clean {rate.NotClean} ({100.0 * rate.NotClean / Math.Max(1, rate.Runs):F2}%); {rate.Gc.Describe(rate.Seconds)}; load {BenchEnvironment.Load()}"));

    /// <summary>Collections per generation and the time the runtime was paused for them, between two readings.</summary>
    internal readonly record struct GcShare(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
    {
        public static GcShare Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public GcShare Since(GcShare start) => new(Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2, Paused - start.Paused);

        public string Describe(double seconds) => F($"GCs {Gen0}/{Gen1}/{Gen2} (gen 0/1/2, counted inclusively), paused {Paused.TotalMilliseconds:F0} ms ({100 * Paused.TotalSeconds / Math.Max(seconds, 1e-9):F1}% of the wall time)");
    }

    /// <summary>
    /// A campaign as <c>leaseactors chaos</c> makes it without <c>--out</c> (each run added to a
    /// <see cref="CampaignSummary"/>), stopped after <paramref name="seconds"/>.
    /// </summary>
    internal static Rate Campaign(ActorSystem system, Topology topology, ChaosPlan? plan, string policy, int parallel, double seconds)
    {
        var summary = new CampaignSummary();
        var options = new CampaignOptions { Topology = topology, Policy = policy, Chaos = plan, Runs = long.MaxValue, Seed = 0, Parallel = parallel };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var gc = GcShare.Now();
        var cpu = BenchEnvironment.ProcessCpu();
        var clock = Stopwatch.StartNew();
        var made = CampaignRunner.Run(system, options, run => summary.Add(run.Index, run.Report.Seed, run.Report.Verdict, run.Report.WorstSlackMs), cancel: cancel.Token);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (BenchEnvironment.ProcessCpu() - cpu).TotalSeconds;
        return new Rate(made, elapsed, cpuSeconds, summary.Runs - summary.Count(Verdict.Clean), GcShare.Now().Since(gc));
    }

    private static Rate Plain(ActorSystem system, int inFlight, double seconds)
    {
        var stop = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        long runs = 0, late = 0, next = -1;
        var gc = GcShare.Now();
        var cpu = BenchEnvironment.ProcessCpu();
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, inFlight).Select(_ => new Thread(() =>
        {
            while (DateTime.UtcNow < stop)
            {
                var verdict = PlainAkkaRdmaSeed.RunOnce(system, (int)Interlocked.Increment(ref next));
                Interlocked.Increment(ref runs);
                if (verdict != 0) Interlocked.Increment(ref late);
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return new Rate(runs, clock.Elapsed.TotalSeconds, (BenchEnvironment.ProcessCpu() - cpu).TotalSeconds, late, GcShare.Now().Since(gc));
    }

    private static Rate Coyote(uint iterations)
    {
        var cpu = BenchEnvironment.ProcessCpu();
        var console = Console.Out;
        Console.SetOut(TextWriter.Null); // the TestingEngine prints its iterations whatever the verbosity
        var clock = Stopwatch.StartNew();
        long done, late, bugs;
        try
        {
            (done, late, bugs) = CoyoteRdmaSeed.Test(iterations, 7);
        }
        finally
        {
            Console.SetOut(console);
        }
        if (bugs > 0) throw new InvalidOperationException("the Coyote model reported a bug: fix the model before timing it");
        return new Rate(done, clock.Elapsed.TotalSeconds, (BenchEnvironment.ProcessCpu() - cpu).TotalSeconds, late);
    }
}
