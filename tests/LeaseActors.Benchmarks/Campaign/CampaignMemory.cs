using System.Diagnostics;
using System.Globalization;
using LeaseActors.Campaigns;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// <c>--campaign-memory [N,N,…]</c> (default 10000,100000,1000000): for each N, a fresh process
/// (<c>--campaign-memory-one N</c>) runs a campaign of N runs of the RDMA seed scenario under the delay plan as
/// <c>leaseactors chaos --out F --no-shrink</c> does (each run's JSON line formatted and written, to /dev/null by
/// default, and added to a <see cref="CampaignSummary"/>), and reports its peak working set (VmHWM of
/// /proc/self/status, and Process.PeakWorkingSet64), sampled also at 10%, 50% and 100% of the runs. The parent prints
/// the peaks and their ratio to the smallest N (issue 6: flat within 10% from 10,000 to 1,000,000 runs).
/// Options: <c>--parallel K</c> (default 2), <c>--out F</c> (default /dev/null), <c>--topology</c>, <c>--chaos</c>, <c>--policy</c>.
/// </summary>
internal static class CampaignMemory
{
    private const string ResultPrefix = "memory-result ";

    public static int Run(string[] args)
    {
        var sizes = (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "10000,100000,1000000")
            .Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var passOn = args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        Console.WriteLine($"campaign memory: fresh process per campaign, N = {string.Join(", ", sizes)}");
        Console.WriteLine("start: " + BenchEnvironment.Stamp());
        var peaks = new List<(long Runs, long HwmKiB, string Line)>();
        foreach (var n in sizes)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("LeaseActors.Benchmarks", StringComparison.Ordinal))
                start.ArgumentList.Add(typeof(CampaignMemory).Assembly.Location); // run through `dotnet X.dll`
            start.ArgumentList.Add("--campaign-memory-one");
            start.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture));
            foreach (var a in passOn) start.ArgumentList.Add(a);
            using var child = Process.Start(start)!;
            string? line;
            string? result = null;
            while ((line = child.StandardOutput.ReadLine()) is not null)
            {
                Console.WriteLine("  " + line);
                if (line.StartsWith(ResultPrefix, StringComparison.Ordinal)) result = line;
            }
            child.WaitForExit();
            if (child.ExitCode != 0 || result is null) { Console.WriteLine($"campaign of {n} runs failed (exit code {child.ExitCode})"); return 1; }
            var hwm = long.Parse(result.Split(' ').First(f => f.StartsWith("vmhwm_kib=", StringComparison.Ordinal))["vmhwm_kib=".Length..], CultureInfo.InvariantCulture);
            peaks.Add((n, hwm, result));
        }
        Console.WriteLine();
        Console.WriteLine("peak working set (VmHWM) per campaign:");
        foreach (var (runs, hwm, _) in peaks)
            Console.WriteLine(F($"  {runs,9} runs: {hwm / 1024.0,8:F1} MiB   x{(double)hwm / peaks[0].HwmKiB:F3} of {peaks[0].Runs} runs"));
        var spread = (double)peaks.Max(p => p.HwmKiB) / peaks.Min(p => p.HwmKiB);
        Console.WriteLine(F($"  largest / smallest peak: {spread:F3}   target <= 1.10"));
        Console.WriteLine("end: " + BenchEnvironment.Stamp());
        return 0;
    }

    public static int RunOne(string[] args)
    {
        var runs = long.Parse(args[0], CultureInfo.InvariantCulture);
        var parallel = (int)BenchEnvironment.Number(args, "--parallel", 2);
        var outPath = BenchEnvironment.Option(args, "--out", "/dev/null");
        var (topology, plan, policy, description) = BenchEnvironment.Scenario(args);
        Console.WriteLine($"campaign of {runs} runs, --parallel {parallel}, JSON lines to {outPath}: {description}; start {BenchEnvironment.Stamp()}");
        var summary = new CampaignSummary();
        var checkpoints = new[] { runs / 10, runs / 2 };
        var samples = new List<string>();
        var clock = Stopwatch.StartNew();
        using (var results = new StreamWriter(new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read)) { NewLine = "\n" })
        using (var system = BenchEnvironment.SimulationSystem("campaign-memory"))
        {
            var options = new CampaignOptions { Topology = topology, Policy = policy, Chaos = plan, Runs = runs, Seed = 0, Parallel = parallel };
            var made = 0L;
            CampaignRunner.Run(system, options, run =>
            {
                results.WriteLine(CampaignResultsFile.Line(run));
                results.Flush();
                summary.Add(run.Index, run.Report.Seed, run.Report.Verdict, run.Report.WorstSlackMs);
                if (Array.IndexOf(checkpoints, ++made) >= 0)
                    samples.Add(F($"{made} runs ({clock.Elapsed.TotalSeconds:F0} s): VmHWM {BenchEnvironment.StatusKiB("VmHWM") / 1024.0:F1} MiB, VmRSS {BenchEnvironment.StatusKiB("VmRSS") / 1024.0:F1} MiB, GC heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB"));
            });
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var s in samples) Console.WriteLine("  at " + s);
        var hwm = BenchEnvironment.StatusKiB("VmHWM");
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(F($"  at the end ({summary.Runs} runs, {seconds:F1} s, {summary.Runs / seconds:F0} runs/s): VmHWM {hwm / 1024.0:F1} MiB, PeakWorkingSet64 {self.PeakWorkingSet64 / 1048576.0:F1} MiB, GC heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB, gen2 collections {GC.CollectionCount(2)}; load {BenchEnvironment.Load()}"));
        Console.WriteLine(F($"{ResultPrefix}runs={summary.Runs} seconds={seconds:F1} vmhwm_kib={hwm} peak_ws_bytes={self.PeakWorkingSet64} late={summary.Runs - summary.Count(Judging.Verdict.Clean)}"));
        return 0;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
