using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LeaseActors.Conformance;
using LeaseActors.Conformance.Fuzzing;
using LeaseActors.Conformance.Plans;
using LeaseActors.Conformance.Real;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors conform [TOPOLOGY…] [--fuzz N [--seed S] [--out F]] [--summary]</c>: runs each topology on the
/// machine's Linux kernel and on the emulator and prints them side by side; exit 1 on any difference, 3 when the
/// real kernel cannot be used.
/// </summary>
internal static class ConformCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topologies = new Argument<string[]>("topology") { Description = "Topology files (mainline only), e.g. configs/conformance/*.conf.", Arity = ArgumentArity.ZeroOrMore };
        var fuzz = new Option<int>("--fuzz") { Description = "Also run N random mainline topologies on both; the first disagreement is shrunk and written out." };
        var seed = CommonOptions.Seed();
        var outFile = new Option<FileInfo?>("--out") { Description = "Where --fuzz writes the shrunk counterexample (default: conform-counterexample.conf)." };
        var summary = new Option<bool>("--summary") { Description = "Print only the summary table, and the rows of cases that differ." };
        var command = new Command("conform", "Run topologies on the real Linux kernel and on the emulator, and compare what they show.") { topologies, fuzz, seed, outFile, summary };
        command.SetAction(parse => Execute(parse.GetValue(topologies) ?? [], parse.GetValue(fuzz), parse.GetValue(seed), parse.GetValue(outFile), parse.GetValue(summary), stdout, stderr));
        return command;
    }

    private static int Execute(string[] paths, int fuzz, ulong seed, FileInfo? outFile, bool summary, TextWriter stdout, TextWriter stderr)
    {
        if (paths.Length == 0 && fuzz <= 0)
        {
            stderr.WriteLine("leaseactors: conform needs topology files or --fuzz N (e.g. leaseactors conform configs/conformance/*.conf)");
            return ExitCodes.BadInput;
        }
        if (fuzz < 0)
        {
            stderr.WriteLine("leaseactors: --fuzz takes a positive number of topologies");
            return ExitCodes.BadInput;
        }
        var loaded = new List<Topology>();
        try
        {
            foreach (var path in paths)
            {
                var topology = TopologyParser.ParseFile(path);
                ConformancePlan.Create(topology); // refuses threads, execve, RFC policies before anything runs
                loaded.Add(topology);
            }
        }
        catch (Exception ex) when (ex is TopologyException or UnsupportedTopologyException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("leaseactors: " + ex.Message);
            return ExitCodes.BadInput;
        }

        if (KernelEnvironment.Problem() is { } problem)
        {
            stderr.WriteLine($"leaseactors: the real kernel cannot be used here: {problem}. Nothing was compared.");
            return ExitCodes.EnvironmentMissing;
        }

        var release = KernelEnvironment.Release();
        stdout.WriteLine($"Linux {release} (the oracle) vs the LeaseActors emulator (mainline policy, seed 0)");
        var total = Stopwatch.StartNew();
        var results = new List<CaseResult>();
        try
        {
            using var runner = new ConformanceRunner();
            foreach (var topology in loaded)
            {
                var result = runner.Run(topology);
                results.Add(result);
                if (!summary || !result.Agrees) ConformTable.WriteCase(stdout, result);
            }
            if (results.Count > 0) ConformTable.WriteSummary(stdout, results, release, total.Elapsed);

            if (fuzz > 0)
            {
                stdout.WriteLine();
                stdout.WriteLine($"Fuzzing: {fuzz} random mainline topologies, seed {seed}");
                var fuzzer = new DifferentialFuzzer(runner);
                var outcome = fuzzer.Run(fuzz, seed, progress: (i, r) =>
                {
                    if ((i + 1) % 10 == 0 || !r.Agrees) stderr.WriteLine($"  {i + 1}/{fuzz} {(r.Agrees ? "agree" : "DIFFER")}");
                });
                if (outcome.Counterexample is { } counter)
                {
                    var target = outFile?.FullName ?? Path.GetFullPath("conform-counterexample.conf");
                    File.WriteAllText(target, outcome.CounterexampleText);
                    stdout.WriteLine($"Fuzz case {outcome.FailedAt + 1} of {fuzz} differs; shrunk from {outcome.OriginalSteps} to {outcome.ShrunkSteps} steps in {outcome.ShrinkRuns} runs; written to {target}");
                    ConformTable.WriteCase(stdout, counter);
                    return ExitCodes.ExpectationNotMet;
                }
                stdout.WriteLine($"Fuzzing: all {outcome.Runs} topologies agree ({outcome.Steps} steps in all, {total.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s in all)");
            }
        }
        catch (KernelUnavailableException ex)
        {
            stderr.WriteLine($"leaseactors: the real kernel cannot be used here: {ex.Message}. Nothing was compared.");
            return ExitCodes.EnvironmentMissing;
        }
        catch (TimeoutException ex)
        {
            stderr.WriteLine($"leaseactors: the real kernel cannot be used now: {ex.Message}. Nothing more was compared.");
            return ExitCodes.EnvironmentMissing;
        }
        catch (UnsupportedTopologyException ex)
        {
            stderr.WriteLine("leaseactors: " + ex.Message);
            return ExitCodes.BadInput;
        }
        return results.All(r => r.Agrees) ? ExitCodes.Success : ExitCodes.ExpectationNotMet;
    }
}

/// <summary>The side-by-side table of <c>leaseactors conform</c>.</summary>
internal static class ConformTable
{
    public static void WriteCase(TextWriter output, CaseResult result)
    {
        var pids = string.Join(" ", result.Kernel.Pids.OrderBy(p => result.Plan.ProcessIndex(p.Key)).Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}"));
        output.WriteLine();
        output.WriteLine($"== {result.Name} ({result.Source}) — {(result.Agrees ? "agrees" : "DIFFERS")}; real pids {pids}; real run {result.KernelWall.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
        var rows = result.Comparison.Rows;
        var w1 = Math.Min(70, rows.Select(r => r.Title.Length).DefaultIfEmpty(10).Max());
        var w2 = Math.Min(34, Math.Max(8, rows.Select(r => r.EmulatorText.Length).DefaultIfEmpty(8).Max()));
        output.WriteLine($"   {"step".PadRight(w1)}  {"emulator".PadRight(w2)}  kernel");
        foreach (var row in rows)
        {
            var title = row.Title.Length > w1 ? row.Title[..(w1 - 1)] + "…" : row.Title;
            output.WriteLine($" {(row.Agrees ? " " : "≠")} {title.PadRight(w1)}  {row.EmulatorText.PadRight(w2)}  {row.KernelText}");
        }
        foreach (var row in result.Comparison.Differences)
            output.WriteLine($"   DIFFERENCE {row.Title}: emulator {row.EmulatorText}, kernel {row.KernelText}");
    }

    public static void WriteSummary(TextWriter output, IReadOnlyList<CaseResult> results, string release, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine($"Summary on Linux {release}: {results.Count(r => r.Agrees)} of {results.Count} cases agree, {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        var w = Math.Max(8, results.Max(r => r.Name.Length));
        output.WriteLine($"  {"case".PadRight(w)}  result   rows  real s  measured waits (kernel)");
        foreach (var r in results)
        {
            var waits = string.Join(", ", r.Kernel.Observations.Where(o => o.Ms is not null && o.Value != Conformance.Observation.WaitClass.Immediate)
                .Select(o => $"{o.Value} {o.Ms!.Value.ToString("0", CultureInfo.InvariantCulture)}ms"));
            output.WriteLine($"  {r.Name.PadRight(w)}  {(r.Agrees ? "agrees " : "DIFFERS")}  {r.Comparison.Rows.Length,4}  {r.KernelWall.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),6}  {(waits.Length == 0 ? "all immediate" : waits)}");
        }
    }
}
