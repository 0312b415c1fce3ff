using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Strategies;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// Runs a topology again and again under a search strategy over its scheduling choices, and keeps, for each verdict,
/// how many runs gave it and the first run that did (whose schedule reproduces it).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>random</c>: run <c>i</c> is a random walk with seed <c>Derive(S, i)</c> — the same run as
/// <c>run --seed</c> with that seed, chaos sampled from it too.</item>
/// <item><c>pct</c>: run <c>i</c> is a <see cref="PctStrategy"/> with depth <c>d</c> and seed <c>Derive(S, i)</c>; its change
/// points are drawn over the longest run seen so far (the first run: <see cref="PctStrategy.DefaultExpectedLength"/> choices).</item>
/// <item><c>dfs</c>: every run has seed <c>S</c> (so chaos samples the same way) and the next schedule of one
/// <see cref="DfsStrategy"/>; it stops early when the space is exhausted.</item>
/// </list>
/// </remarks>
internal static class Explorer
{
    public static readonly string[] Strategies = ["random", "pct", "dfs"];

    public static ExploreResult Explore(SimulationDriver driver, RunInputs inputs, ExploreOptions options)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        var found = new SortedDictionary<Verdict, VerdictFound>();
        var traces = new HashSet<string>(StringComparer.Ordinal);
        var dfs = options.Strategy == "dfs" ? new DfsStrategy(options.Bound) : null;
        var longest = 0;
        var runs = 0;
        for (var i = 0; i < options.Budget; i++)
        {
            var seed = dfs is null ? DeterministicRandom.Derive(options.Seed, i) : options.Seed;
            ISchedulingStrategy? strategy = options.Strategy switch
            {
                "pct" => new PctStrategy(options.Depth, i == 0 ? PctStrategy.DefaultExpectedLength : Math.Max(1, longest)),
                "dfs" => dfs,
                _ => null, // the seed's random walk, as run --seed
            };
            var report = TopologyRunner.Run(driver, inputs.Topology, inputs.Policy, seed, inputs.Settings(new TopologyRunSettings { Strategy = strategy }));
            runs++;
            longest = Math.Max(longest, report.Choices.Length);
            traces.Add(report.TraceSha256);
            found[report.Verdict] = found.TryGetValue(report.Verdict, out var seen)
                ? seen with { Runs = seen.Runs + 1 }
                : new VerdictFound(report.Verdict, 1, i, report);
            if (dfs is not null && !dfs.Advance()) break;
        }
        return new ExploreResult(runs, [.. found.Values.Reverse()], traces.Count, dfs?.Done, dfs?.Exhausted, dfs?.BoundHit, longest);
    }
}

/// <summary>What <c>explore</c> searches with.</summary>
/// <param name="Strategy"><c>random</c>, <c>pct</c> or <c>dfs</c>.</param>
/// <param name="Budget">The most runs to make.</param>
/// <param name="Seed">The exploration's seed S.</param>
/// <param name="Depth">PCT's depth d (d − 1 priority changes per run).</param>
/// <param name="Bound">DFS's bound: how many choice points of a run are branched on.</param>
internal sealed record ExploreOptions(string Strategy, int Budget, ulong Seed, int Depth, int Bound);

/// <summary>A verdict the exploration found: how many runs gave it, and the first that did.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Runs">How many runs gave it.</param>
/// <param name="FirstRun">The 0-based index of the first run that gave it.</param>
/// <param name="First">That run.</param>
internal sealed record VerdictFound(Verdict Verdict, int Runs, int FirstRun, RunReport First);

/// <summary>The outcome of an exploration.</summary>
/// <param name="Runs">Runs made (the budget, or fewer when DFS exhausted its space).</param>
/// <param name="Verdicts">Each verdict found, most severe first.</param>
/// <param name="DistinctTraces">How many distinct trace hashes the runs gave.</param>
/// <param name="Done">DFS only: no untried schedule is left within the bound; null for the other strategies.</param>
/// <param name="Exhausted">DFS only: every schedule was run (done, and the bound was never hit).</param>
/// <param name="BoundHit">DFS only: some run had more choice points than the bound.</param>
/// <param name="LongestRun">The most choices one run made.</param>
internal sealed record ExploreResult(int Runs, IReadOnlyList<VerdictFound> Verdicts, int DistinctTraces, bool? Done, bool? Exhausted, bool? BoundHit, int LongestRun);
