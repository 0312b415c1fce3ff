using System.CommandLine;
using System.Text.Json;
using LeaseActors.Cli.Output;
using LeaseActors.Judging;
using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors explore TOPOLOGY --strategy random|pct|dfs --budget N [--seed S] [--policy P] [--chaos F] [--depth D]
/// [--bound B] [--out-dir D] [--fail-on V] [--json]</c>: systematic exploration of a topology's scheduling choices.
/// </summary>
/// <remarks>
/// Reports each distinct verdict found with the first run that produced it (its index, seed and number of choices),
/// writes that run's schedule to <c>--out-dir</c> with the <c>replay --schedule</c> command that reproduces it, and
/// counts runs per verdict and distinct traces; for <c>dfs</c>, whether the space was exhausted or the bound cut it.
/// Unlike <c>chaos</c>, which samples seeds to estimate how likely a verdict is, <c>explore</c> searches for verdicts;
/// its counts are not probabilities. Exit 0, or 1 when <c>--fail-on V</c> found V or worse; 2 for bad input.
/// </remarks>
internal static class ExploreCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topology = new Argument<string>("topology") { Description = "The topology file (HOCON) to explore." };
        var strategy = new Option<string>("--strategy") { Description = "random (a random walk per seed), pct (priority changes) or dfs (bounded depth-first enumeration).", Required = true };
        strategy.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Explorer.Strategies.Contains(value)) result.AddError($"--strategy must be random, pct or dfs (got '{value}')");
        });
        var budget = new Option<int>("--budget") { Description = "The most runs to make.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "The exploration's seed S: random and pct run i uses a seed derived from (S, i); dfs uses S for every run (default 0).", DefaultValueFactory = _ => 0UL };
        var policy = CommonOptions.Policy();
        var chaos = CommonOptions.Chaos();
        var depth = new Option<int>("--depth") { Description = "pct: the priority-change depth d (d − 1 changes per run; default 3).", DefaultValueFactory = _ => PctStrategy.DefaultDepth };
        var bound = new Option<int>("--bound") { Description = "dfs: branch at the first B choice points of a run, take the first mailbox after that (default 1000).", DefaultValueFactory = _ => DfsStrategy.DefaultMaxDepth };
        var outDir = new Option<DirectoryInfo?>("--out-dir") { Description = "Where to write the schedule of each verdict found (default: a new temporary directory)." };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 when a verdict this severe or worse is found: " + string.Join(", ", VerdictNames.All) + "." };
        var json = new Option<bool>("--json") { Description = "Print only a JSON object on standard output." };
        var command = new Command("explore", "Search a topology's scheduling choices for verdicts: random walks, PCT or bounded DFS.")
        {
            topology, strategy, budget, seed, policy, chaos, depth, bound, outDir, failOn, json,
        };
        command.SetAction(parse => Execute(parse.GetValue(topology)!, parse.GetValue(policy), parse.GetValue(chaos),
            new ExploreOptions(parse.GetValue(strategy)!, parse.GetValue(budget), parse.GetValue(seed), parse.GetValue(depth), parse.GetValue(bound)),
            parse.GetValue(outDir), parse.GetValue(failOn), parse.GetValue(json), stdout, stderr));
        return command;
    }

    private static int Execute(string path, string? policy, string? chaos, ExploreOptions options, DirectoryInfo? outDir, string? failOnName,
        bool json, TextWriter stdout, TextWriter stderr)
    {
        if (options.Budget < 1) return BadInput(stderr, $"--budget must be at least 1 (got {options.Budget})");
        if (options.Depth < 1) return BadInput(stderr, $"--depth must be at least 1 (got {options.Depth})");
        if (options.Bound < 0) return BadInput(stderr, $"--bound must be at least 0 (got {options.Bound})");
        Verdict? failOn = null;
        if (failOnName is not null && (failOn = VerdictNames.Parse(failOnName)) is null)
            return BadInput(stderr, $"--fail-on: unknown verdict '{failOnName}' (known: {string.Join(", ", VerdictNames.All)})");
        if (RunInputs.Load(path, policy, chaos, stderr) is not { } inputs) return ExitCodes.BadInput;

        string directory;
        try
        {
            directory = outDir is null ? Directory.CreateTempSubdirectory("leaseactors-explore-").FullName : Directory.CreateDirectory(outDir.FullName).FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return BadInput(stderr, $"cannot create the output directory {outDir?.FullName}: {ex.Message}");
        }

        ExploreResult result;
        using (var host = new EmulatorHost())
            result = Explorer.Explore(host.Driver, inputs, options);

        var files = new List<(VerdictFound Found, string File, string Replay)>();
        foreach (var found in result.Verdicts)
        {
            var file = Path.Combine(directory, $"{inputs.Topology.Name}-{options.Strategy}-{found.Verdict.Name()}.schedule.json");
            try
            {
                ScheduleFile.Of(found.First).Save(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return BadInput(stderr, $"cannot write the schedule to {file}: {ex.Message}");
            }
            files.Add((found, file, $"leaseactors replay {Quote(path)} --schedule {Quote(file)}"));
        }

        if (json) WriteJson(stdout, inputs, options, result, files);
        else WriteText(stdout, inputs, options, result, files, directory);
        return failOn is { } v && result.Verdicts.Any(f => f.Verdict >= v) ? ExitCodes.ExpectationNotMet : ExitCodes.Success;
    }

    private static void WriteText(TextWriter output, RunInputs inputs, ExploreOptions options, ExploreResult result,
        List<(VerdictFound Found, string File, string Replay)> files, string directory)
    {
        var strategy = options.Strategy switch
        {
            "pct" => $"pct depth {options.Depth}",
            "dfs" => $"dfs bound {options.Bound}",
            _ => "random",
        };
        output.WriteLine($"explore {inputs.Topology.Name} — policy {inputs.EffectivePolicy}, {strategy}, seed {options.Seed}: " +
                         $"{result.Runs} run{(result.Runs == 1 ? "" : "s")} of budget {options.Budget}");
        if (options.Strategy == "dfs")
        {
            if (result.Exhausted == true)
                output.WriteLine($"space exhausted: every schedule was run ({result.Runs})");
            else if (result.Done == true)
                output.WriteLine($"bound hit: runs have more than {options.Bound} choice points (up to {result.LongestRun}); every schedule within the bound was run, later choices took the first mailbox — not exhausted");
            else
                output.WriteLine("budget spent before the space was exhausted" + (result.BoundHit == true ? $" (and the bound of {options.Bound} choice points was hit)" : ""));
        }
        output.WriteLine($"distinct traces: {result.DistinctTraces}; longest run: {result.LongestRun} choices");
        output.WriteLine();
        var width = files.Max(f => f.Found.Verdict.Name().Length);
        foreach (var (found, file, replay) in files)
        {
            var first = found.First;
            output.WriteLine($"{found.Verdict.Name().PadRight(width)}  {found.Runs,6} run{(found.Runs == 1 ? " " : "s")}  " +
                             $"first: run {found.FirstRun}, seed {first.Seed}, {first.Choices.Length} choices" +
                             (first.Faults.IsEmpty ? "" : $", {first.Faults.Length} faults"));
            output.WriteLine($"  {replay}");
        }
        output.WriteLine();
        output.WriteLine($"schedules in {directory}");
    }

    private static void WriteJson(TextWriter output, RunInputs inputs, ExploreOptions options, ExploreResult result,
        List<(VerdictFound Found, string File, string Replay)> files)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("topology", inputs.Topology.Name);
            writer.WriteString("policy", inputs.EffectivePolicy);
            writer.WriteString("strategy", options.Strategy);
            writer.WriteNumber("seed", options.Seed);
            writer.WriteNumber("budget", options.Budget);
            if (options.Strategy == "pct") writer.WriteNumber("depth", options.Depth);
            if (options.Strategy == "dfs") writer.WriteNumber("bound", options.Bound);
            writer.WriteNumber("runs", result.Runs);
            writer.WriteNumber("distinctTraces", result.DistinctTraces);
            writer.WriteNumber("longestRun", result.LongestRun);
            if (result.Exhausted is { } exhausted) writer.WriteBoolean("exhausted", exhausted); else writer.WriteNull("exhausted");
            if (result.BoundHit is { } hit) writer.WriteBoolean("boundHit", hit); else writer.WriteNull("boundHit");
            writer.WriteStartArray("verdicts");
            foreach (var (found, file, replay) in files)
            {
                writer.WriteStartObject();
                writer.WriteString("verdict", found.Verdict.Name());
                writer.WriteNumber("runs", found.Runs);
                writer.WriteStartObject("first");
                writer.WriteNumber("run", found.FirstRun);
                writer.WriteNumber("seed", found.First.Seed);
                writer.WriteNumber("choices", found.First.Choices.Length);
                writer.WriteNumber("faults", found.First.Faults.Length);
                writer.WriteString("traceSha256", found.First.TraceSha256);
                writer.WriteString("schedule", file);
                writer.WriteString("replay", replay);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>A path as a POSIX shell word: unchanged when safe, else in single quotes.</summary>
    internal static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+,:=@%".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int BadInput(TextWriter stderr, string message)
    {
        stderr.WriteLine("leaseactors: " + message);
        return ExitCodes.BadInput;
    }
}
