using System.Globalization;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Conformance.Fuzzing;

/// <summary>
/// Differential fuzzing: runs generated mainline topologies (<see cref="FuzzGenerator"/>) on the kernel and on the
/// emulator; the first disagreement that repeats on a second real run is shrunk — actions and handler steps are
/// removed one at a time while the disagreement stays — and returned with its topology text.
/// </summary>
public sealed class DifferentialFuzzer(ConformanceRunner runner)
{
    private int _shrinkRuns;

    /// <summary>
    /// Runs <paramref name="count"/> cases derived from <paramref name="seed"/> (case i uses
    /// <c>DeterministicRandom.Derive(seed, i)</c>), calling <paramref name="progress"/> after each.
    /// </summary>
    public FuzzOutcome Run(int count, ulong seed, Action<int, CaseResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var steps = 0;
        for (var i = 0; i < count; i++)
        {
            var fuzz = FuzzGenerator.Generate(DeterministicRandom.Derive(seed, i));
            steps += fuzz.Size;
            var result = Try(fuzz, $"fuzz-{seed.ToString(CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}")
                ?? throw new InvalidOperationException($"generated case {i} of seed {seed} is not a valid topology:\n{fuzz.Render()}");
            progress?.Invoke(i, result);
            if (result.Agrees) continue;
            _shrinkRuns = 0;
            var (shrunk, shrunkResult) = Shrink(fuzz, result);
            return new FuzzOutcome
            {
                Counterexample = shrunkResult,
                CounterexampleText = shrunk.Render(),
                FailedAt = i,
                OriginalSteps = fuzz.Size,
                ShrunkSteps = shrunk.Size,
                ShrinkRuns = _shrinkRuns,
                Runs = i + 1,
                Steps = steps,
            };
        }
        return new FuzzOutcome { Runs = count, Steps = steps };
    }

    /// <summary>Runs a case; a disagreement counts only if a second run disagrees the same way (no timing accident).</summary>
    private CaseResult? Try(FuzzCase fuzz, string name)
    {
        Topology topology;
        try
        {
            topology = TopologyParser.Parse(fuzz.Render(), name + ".conf");
        }
        catch (TopologyException)
        {
            return null; // a shrink step removed an fd's binding but not its uses
        }
        var first = runner.Run(topology);
        if (first.Agrees) return first;
        var second = runner.Run(topology);
        var a = string.Join("\n", first.Comparison.Differences.Select(d => d.Key));
        var b = string.Join("\n", second.Comparison.Differences.Select(d => d.Key));
        return a == b ? first : second;
    }

    private (FuzzCase, CaseResult) Shrink(FuzzCase fuzz, CaseResult result)
    {
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var candidate in Smaller(fuzz))
            {
                _shrinkRuns++;
                var r = Try(candidate, "fuzz-shrunk");
                if (r is null || r.Agrees) continue;
                (fuzz, result, progress) = (candidate, r, true);
                break;
            }
        }
        return (fuzz, result);
    }

    private static IEnumerable<FuzzCase> Smaller(FuzzCase fuzz)
    {
        for (var k = fuzz.Actions.Length - 1; k >= 0; k--)
            yield return fuzz with { Actions = fuzz.Actions.RemoveAt(k) };
        for (var p = 0; p < fuzz.Processes.Length; p++)
            if (fuzz.Processes[p].HandlerStep is not null)
                yield return fuzz with { Processes = fuzz.Processes.SetItem(p, fuzz.Processes[p] with { HandlerStep = null }) };
        for (var p = 0; p < fuzz.Processes.Length; p++)
            if (fuzz.Processes[p] is { Disposition: FuzzDisposition.Handler, TakesMs: > 0 })
                yield return fuzz with { Processes = fuzz.Processes.SetItem(p, fuzz.Processes[p] with { TakesMs = 0 }) };
        if (fuzz.Socket && !fuzz.Actions.Any(a => a.Step.Contains("= ab", StringComparison.Ordinal)))
            yield return fuzz with { Socket = false };
        // Drop the last process when no action uses it.
        var lastProcess = fuzz.Processes.Length - 1;
        if (lastProcess >= 2 && fuzz.Actions.All(a => a.Process != lastProcess && !a.Step.Contains(FuzzCase.Name(lastProcess), StringComparison.Ordinal)))
            yield return fuzz with { Processes = fuzz.Processes.RemoveAt(lastProcess) };
    }
}

/// <summary>What a fuzzing run found.</summary>
public sealed record FuzzOutcome
{
    /// <summary>The shrunk disagreement, or null when every case agreed.</summary>
    public CaseResult? Counterexample { get; init; }

    /// <summary>The shrunk case as a topology file.</summary>
    public string CounterexampleText { get; init; } = "";

    /// <summary>The index of the first case that disagreed.</summary>
    public int FailedAt { get; init; }

    /// <summary>Steps (actions and handler steps) of the case before shrinking.</summary>
    public int OriginalSteps { get; init; }

    /// <summary>Steps after shrinking.</summary>
    public int ShrunkSteps { get; init; }

    /// <summary>How many candidate cases shrinking ran.</summary>
    public int ShrinkRuns { get; init; }

    /// <summary>How many generated cases ran.</summary>
    public int Runs { get; init; }

    /// <summary>Steps in all the generated cases that ran.</summary>
    public int Steps { get; init; }
}
