using System.CommandLine;
using Spectre.Console;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeaseActors.Campaigns;
using LeaseActors.Cli.Output;
using LeaseActors.Cluster.Campaigns;
using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors chaos TOPOLOGY --runs N [--seed S] [--parallel K] [--policy P] [--chaos F] [--json] [--out F]
/// [--resume F] [--fail-on V] [--no-shrink] [--report F.html] [--cluster HOST:PORT [--min-workers K] [--no-local]]</c>:
/// a seeded campaign, streamed to a results file, summarised at the end with the worst runs' replay commands and the
/// shrunk counterexample of the worst failing run, and drawn as a self-contained HTML report when asked
/// (docs/pictures.md). With <c>--cluster</c> the runs are made by workers that join this process
/// (<see cref="WorkerCommand"/>, docs/chaos.md "Campaigns on a cluster"); nothing else changes.
/// </summary>
internal static class ChaosCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topology = new Argument<string>("topology") { Description = "The topology file (HOCON)." };
        var runs = new Option<long>("--runs") { Description = "How many runs.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "The campaign's seed S; run i's seed is derived from (S, i). Default 0.", DefaultValueFactory = _ => 0UL };
        var parallel = new Option<int>("--parallel") { Description = "Runs at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var policy = CommonOptions.Policy();
        var chaos = new Option<FileInfo?>("--chaos") { Description = "A chaos plan file (configs/chaos/) replacing the topology's own chaos block." };
        var json = new Option<bool>("--json") { Description = "Print only the summary as one JSON object on standard output." };
        var output = new Option<FileInfo?>("--out") { Description = "Write one JSON line per run to this file, as each run finishes." };
        var resume = new Option<FileInfo?>("--resume") { Description = "Continue the campaign whose results are in this file (appending to it)." };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 if any run's verdict is this one or more severe: " + string.Join(", ", VerdictNames.All) };
        var noShrink = new Option<bool>("--no-shrink") { Description = "Do not shrink the worst failing run." };
        var htmlReport = new Option<FileInfo?>("--report") { Description = "Write a self-contained HTML report (verdicts, slack histogram and CDF, faults, the counterexample's timeline) to this file." };
        var cluster = new Option<string?>("--cluster") { Description = "Coordinate the campaign on a cluster: listen at HOST:PORT (port 0: a free one) for workers started with 'leaseactors worker --join HOST:PORT'." };
        var minWorkers = new Option<int>("--min-workers") { Description = "With --cluster: hand out no run before this many workers joined. Default 0." };
        var noLocal = new Option<bool>("--no-local") { Description = "With --cluster: make no runs in this process, only on workers." };
        var command = new Command("chaos", "Run a seeded campaign of a topology with injected faults and summarise it.")
        {
            topology, runs, seed, parallel, policy, chaos, json, output, resume, failOn, noShrink, htmlReport, cluster, minWorkers, noLocal,
        };
        command.SetAction(parse => Execute(new Request(
            parse.GetValue(topology)!, parse.GetValue(runs), parse.GetValue(seed), parse.GetValue(parallel), parse.GetValue(policy), parse.GetValue(chaos),
            parse.GetValue(json), parse.GetValue(output), parse.GetValue(resume), parse.GetValue(failOn), !parse.GetValue(noShrink), parse.GetValue(htmlReport),
            parse.GetValue(cluster), parse.GetValue(minWorkers), parse.GetValue(noLocal)), stdout, stderr));
        return command;
    }

    private sealed record Request(string Topology, long Runs, ulong Seed, int Parallel, string? Policy, FileInfo? Chaos, bool Json,
        FileInfo? Out, FileInfo? Resume, string? FailOn, bool Shrink, FileInfo? Report, string? Cluster, int MinWorkers, bool NoLocal);

    private static int Execute(Request request, TextWriter stdout, TextWriter stderr)
    {
        Topology topology;
        ChaosPlan? plan;
        string policy;
        Verdict? failOn = null;
        CampaignOptions options;
        CampaignSpec spec;
        try
        {
            // A cluster's workers get the files' texts, so the campaign is always read from them, here as there.
            spec = CampaignSpec.FromFiles(request.Topology, request.Chaos?.FullName, request.Policy, request.Seed, request.Runs);
            options = spec.Parse(request.Parallel);
            (topology, plan, policy) = (options.Topology, options.Chaos, options.Policy!);
            if (request.FailOn is { } v) failOn = VerdictNames.Parse(v) ?? throw new ArgumentException($"--fail-on: unknown verdict '{v}' (verdicts: {string.Join(", ", VerdictNames.All)})");
            if (request.Out is { } o && request.Resume is { } r && o.FullName != r.FullName)
                throw new ArgumentException("--out and --resume name different files; --resume appends to the file it resumes");
            if (request.Cluster is null && (request.MinWorkers != 0 || request.NoLocal))
                throw new ArgumentException("--min-workers and --no-local go with --cluster HOST:PORT");
        }
        catch (Exception ex) when (ex is TopologyException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("leaseactors: " + ex.Message);
            return ExitCodes.BadInput;
        }

        var summary = new CampaignSummary();
        var resultsPath = (request.Resume ?? request.Out)?.FullName;
        CampaignResultsFile.Resumed? resumed = null;
        if (request.Resume is { } resumeFile)
        {
            try
            {
                resumed = CampaignResultsFile.Resume(resumeFile.FullName, options, policy, summary);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine("leaseactors: " + ex.Message);
                return ExitCodes.BadInput;
            }
            stderr.WriteLine($"chaos: resuming {resumeFile.Name}: {resumed.Count} of {options.Runs} runs already done");
        }

        StreamWriter? results = null;
        try
        {
            if (resultsPath is not null)
                results = new StreamWriter(new FileStream(resultsPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { NewLine = "\n" };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"leaseactors: cannot write the results to {resultsPath}: {ex.Message}");
            return ExitCodes.BadInput;
        }

        ICampaignRuns source;
        try
        {
            source = request.Cluster is { } endpoint
                ? ClusterRuns.Start(endpoint, spec, new CoordinatorOptions
                {
                    MinWorkers = request.MinWorkers,
                    LocalWorker = request.NoLocal ? null : new WorkerOptions { Parallel = request.Parallel },
                }, stderr)
                : new LocalRuns();
        }
        catch (Exception ex) when (ex is ArgumentException or IOException)
        {
            results?.Dispose();
            stderr.WriteLine("leaseactors: " + ex.Message);
            return ExitCodes.BadInput;
        }
        using var sourceScope = source;
        var clock = Stopwatch.StartNew();
        var already = resumed?.Count ?? 0;
        var toDo = options.Runs - already;
        long made;
        using (results)
        using (var progress = Progress.For(stderr, toDo))
        {
            try
            {
                made = source.Run(options, resumed is null ? null : i => i < resumed.Done.Length && resumed.Done[(int)i], results is not null, result =>
                {
                    if (results is not null)
                    {
                        results.WriteLine(result.Line);
                        results.Flush();
                    }
                    summary.Add(result);
                    progress.Advance(result.Verdict);
                });
            }
            catch (ClusterCampaignException ex)
            {
                // A worker that cannot run the campaign as this process does: the cluster is set up wrongly. The runs
                // received so far are in the results file, and --resume continues from them.
                stderr.WriteLine("leaseactors: " + ex.Message);
                return ExitCodes.BadInput;
            }
        }
        var seconds = (clock.Elapsed - source.Idle).TotalSeconds;

        ShrinkResult? shrunk = null;
        if (request.Shrink && SummaryView.WorstFailing(summary) is { } failing)
        {
            using var host = new EmulatorHost();
            var report = TopologyRunner.Run(host.Driver, topology, policy, failing.Seed, new TopologyRunSettings { Chaos = plan });
            shrunk = new Shrinker(host.Driver, topology, policy, failing.Seed, plan).Shrink(report);
        }

        // The shrunk faults are not what the seed alone samples: they are replayed from a schedule file.
        string? shrunkFile = null;
        if (shrunk is not null)
        {
            shrunkFile = resultsPath is not null
                ? Path.ChangeExtension(resultsPath, null) + ".shrunk.schedule.json"
                : Path.Combine(Path.GetTempPath(), $"leaseactors-{topology.Name}-{policy}-{request.Seed}.shrunk.schedule.json");
            try
            {
                ScheduleFile.Of(shrunk.Report).Save(shrunkFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"leaseactors: cannot write the shrunk schedule to {shrunkFile}: {ex.Message}");
                shrunkFile = null;
            }
        }

        var view = new SummaryView(request, topology, policy, summary, made, seconds, shrunk, shrunkFile);
        if (request.Json) stdout.WriteLine(view.Json());
        else view.Write(stdout);
        if (request.Report is { } reportFile && !view.WriteReport(reportFile, plan, stderr)) return ExitCodes.BadInput;
        return failOn is { } threshold && summary.Reached(threshold) ? ExitCodes.ExpectationNotMet : ExitCodes.Success;
    }

    /// <summary>The campaign's end: counts, probabilities, slack percentiles, worst runs and the shrunk counterexample.</summary>
    private sealed class SummaryView(Request request, Topology topology, string policy, CampaignSummary summary, long made, double seconds, ShrinkResult? shrunk, string? shrunkFile)
    {
        public static CampaignSummary.WorstRun? WorstFailing(CampaignSummary summary) =>
            summary.Worst.FirstOrDefault(w => w.Verdict != Verdict.Clean);

        private string Replay(ulong seed) =>
            $"leaseactors replay {Quote(request.Topology)} --seed {seed} --policy {policy}" + (request.Chaos is { } c ? $" --chaos {Quote(c.ToString())}" : "");

        private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

        private static string Ms(double? ms) => ms is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) + " ms" : "n/a";

        public void Write(TextWriter output)
        {
            output.WriteLine($"chaos: {topology.Name} under {policy}, {summary.Runs} runs (seed {request.Seed}; {made} run now in {seconds:0.0} s, {(seconds > 0 ? made / seconds : 0):0} runs/s)");
            output.WriteLine();
            output.WriteLine("verdicts:");
            foreach (var (verdict, runs) in summary.Counts)
            {
                if (runs == 0 && verdict != Verdict.Clean) continue;
                var line = $"  {verdict.Name(),-11} {runs,10}";
                if (verdict != Verdict.Clean)
                {
                    var (p, low, high) = summary.Probability(verdict);
                    line += $"   p = {p:0.######} (95% Wilson interval {low:0.######}–{high:0.######})";
                }
                output.WriteLine(line);
            }
            output.WriteLine();
            output.WriteLine(summary.RunsWithSlack == 0
                ? "slack: no run had a deadline"
                : $"slack ({summary.RunsWithSlack} runs with a deadline): min {Ms(summary.MinSlackMs)}, p1 {Ms(summary.SlackPercentile(1))}, p10 {Ms(summary.SlackPercentile(10))}, p50 {Ms(summary.SlackPercentile(50))}");
            output.WriteLine();
            output.WriteLine("worst runs:");
            foreach (var w in summary.Worst)
                output.WriteLine($"  run {w.Run}: {w.Verdict.Name()}, slack {Ms(w.SlackMs)}   {Replay(w.Seed)}");
            if (shrunk is { } s)
            {
                output.WriteLine();
                output.WriteLine($"shrunk counterexample ({s.Verdict.Name()}, seed {s.Report.Seed}, {s.Runs} runs to shrink): {s.Faults.Length} fault(s)");
                foreach (var fault in s.Faults) output.WriteLine("  " + fault);
                if (s.Faults.IsEmpty) output.WriteLine("  (none: the verdict does not depend on the injected faults)");
                output.WriteLine($"  slack {Ms(s.Report.WorstSlackMs)}");
                if (shrunkFile is not null) output.WriteLine($"  replay it: leaseactors replay {Quote(request.Topology)} --schedule {Quote(shrunkFile)}");
                output.WriteLine($"  the original run: {Replay(s.Report.Seed)}");
            }
        }

        /// <summary>Writes the HTML report; false (with the reason on standard error) when the file cannot be written.</summary>
        public bool WriteReport(FileInfo file, ChaosPlan? plan, TextWriter stderr)
        {
            RunReport? example = shrunk?.Report;
            string title;
            var lines = new List<string>();
            if (shrunk is { } s)
            {
                title = $"Shrunk counterexample: {s.Verdict.Name()} with {s.Faults.Length} fault(s), seed {s.Report.Seed}";
                lines.AddRange(s.Faults.Select(f => "fault: " + f));
                if (s.Faults.IsEmpty) lines.Add("no fault: the verdict does not depend on the injected faults");
                if (shrunkFile is not null) lines.Add($"leaseactors replay {Quote(request.Topology)} --schedule {Quote(shrunkFile)}");
                lines.Add(Replay(s.Report.Seed));
            }
            else if (summary.Worst.Count > 0)
            {
                // No failing run to shrink: show the run that came closest to its deadline.
                var w = summary.Worst[0];
                using var host = new EmulatorHost();
                example = TopologyRunner.Run(host.Driver, topology, policy, w.Seed, new TopologyRunSettings { Chaos = plan });
                title = $"The run with the least slack: run {w.Run}, {w.Verdict.Name()}, seed {w.Seed}" + (request.Shrink ? "" : " (--no-shrink)");
                lines.Add(Replay(w.Seed));
            }
            else title = "No runs";
            var command = $"leaseactors chaos {Quote(request.Topology)} --runs {request.Runs} --seed {request.Seed} --policy {policy}" +
                          (request.Chaos is { } c ? $" --chaos {Quote(c.ToString())}" : "");
            var input = new Pictures.ChaosReportInput($"{topology.Name} under {policy}, seed {request.Seed}", summary, command, seconds,
                [.. summary.Worst.Select(w => (w, Replay(w.Seed)))], example, title, lines);
            try
            {
                File.WriteAllText(file.FullName, Pictures.ChaosReport.Page(input), new UTF8Encoding(false));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"leaseactors: cannot write the report to {file.FullName}: {ex.Message}");
                return false;
            }
            stderr.WriteLine($"chaos: wrote the report to {file.FullName}");
            return true;
        }

        public string Json()
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteNumber("schemaVersion", 1);
                w.WriteString("topology", topology.Name);
                w.WriteString("policy", policy);
                w.WriteNumber("seed", request.Seed);
                w.WriteNumber("runs", summary.Runs);
                w.WriteStartObject("verdicts");
                foreach (var (verdict, runs) in summary.Counts) w.WriteNumber(verdict.Name(), runs);
                w.WriteEndObject();
                w.WriteStartObject("probabilities");
                foreach (var (verdict, _) in summary.Counts.Where(c => c.Verdict != Verdict.Clean))
                {
                    var (p, low, high) = summary.Probability(verdict);
                    w.WriteStartObject(verdict.Name());
                    w.WriteNumber("p", p);
                    w.WriteNumber("low95", low);
                    w.WriteNumber("high95", high);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteStartObject("slackMs");
                Nullable(w, "min", summary.MinSlackMs);
                Nullable(w, "p1", summary.SlackPercentile(1));
                Nullable(w, "p10", summary.SlackPercentile(10));
                Nullable(w, "p50", summary.SlackPercentile(50));
                w.WriteEndObject();
                w.WriteStartArray("worst");
                foreach (var x in summary.Worst)
                {
                    w.WriteStartObject();
                    w.WriteNumber("run", x.Run);
                    w.WriteNumber("seed", x.Seed);
                    w.WriteString("verdict", x.Verdict.Name());
                    Nullable(w, "slackMs", x.SlackMs);
                    w.WriteString("replay", Replay(x.Seed));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (shrunk is { } s)
                {
                    w.WriteStartObject("shrunk");
                    w.WriteNumber("seed", s.Report.Seed);
                    w.WriteString("verdict", s.Verdict.Name());
                    w.WriteStartArray("faults");
                    foreach (var f in s.Faults) RunReportJson.WriteFault(w, f);
                    w.WriteEndArray();
                    if (shrunkFile is not null) w.WriteString("replay", $"leaseactors replay {Quote(request.Topology)} --schedule {Quote(shrunkFile)}");
                    else w.WriteNull("replay");
                    w.WriteEndObject();
                }
                else w.WriteNull("shrunk");
                w.WriteNumber("wallSeconds", Math.Round(seconds, 3));
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static void Nullable(Utf8JsonWriter w, string name, double? value)
        {
            if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
        }
    }

    /// <summary>A progress bar on an interactive terminal (Spectre.Console), plain lines every two seconds otherwise.</summary>
    private abstract class Progress : IDisposable
    {
        public static Progress For(TextWriter stderr, long total) =>
            ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && total > 0 ? new Bar(total) : new Lines(stderr, total);

        public abstract void Advance(Verdict verdict);

        public abstract void Dispose();

        private sealed class Lines(TextWriter stderr, long total) : Progress
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private long _done;
            private long _failing;
            private TimeSpan _last;

            public override void Advance(Verdict verdict)
            {
                _done++;
                if (verdict != Verdict.Clean) _failing++;
                if (_clock.Elapsed - _last < TimeSpan.FromSeconds(2)) return;
                _last = _clock.Elapsed;
                stderr.WriteLine($"chaos: {_done}/{total} runs ({100.0 * _done / total:0}%), {_done / _clock.Elapsed.TotalSeconds:0} runs/s, {_failing} not clean");
            }

            public override void Dispose() => stderr.Flush();
        }

        private sealed class Bar : Progress
        {
            private readonly Thread _thread;
            private readonly ManualResetEventSlim _finished = new();
            private long _done;
            private long _failing;

            public Bar(long total)
            {
                var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(Console.Error) });
                _thread = new Thread(() => console.Progress().AutoClear(false).Start(ctx =>
                {
                    var task = ctx.AddTask("runs", maxValue: total);
                    while (!_finished.Wait(100))
                    {
                        task.Value = Interlocked.Read(ref _done);
                        task.Description = $"runs ({Interlocked.Read(ref _failing)} not clean)";
                    }
                    task.Value = Interlocked.Read(ref _done);
                })) { IsBackground = true };
                _thread.Start();
            }

            public override void Advance(Verdict verdict)
            {
                Interlocked.Increment(ref _done);
                if (verdict != Verdict.Clean) Interlocked.Increment(ref _failing);
            }

            public override void Dispose()
            {
                _finished.Set();
                _thread.Join();
                _finished.Dispose();
            }
        }
    }
}
