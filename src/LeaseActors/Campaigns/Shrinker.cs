using System.Collections.Immutable;
using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Campaigns;

/// <summary>The smallest set of faults (and the shortest delays) found that still give a run's verdict.</summary>
/// <param name="Verdict">The verdict kept.</param>
/// <param name="Faults">The minimal faults, delays shrunk.</param>
/// <param name="Report">The run with exactly those faults.</param>
/// <param name="Runs">How many runs shrinking took.</param>
public sealed record ShrinkResult(Verdict Verdict, ImmutableArray<Fault> Faults, RunReport Report, int Runs);

/// <summary>
/// Minimises the faults of a failing run while keeping its verdict: delta debugging over the fault set (Zeller and
/// Hildebrandt's ddmin: drop chunks, then complements, halving the chunk size), then a bisection of each remaining
/// delay down to within <see cref="DelayResolutionMs"/> of the shortest delay that still fails. Each candidate is a
/// run with the same seed and a <see cref="FaultScript"/> holding exactly the candidate faults.
/// </summary>
public sealed class Shrinker(SimulationDriver driver, Topology topology, string? policy, ulong seed, ChaosPlan? chaos)
{
    /// <summary>How close a shrunk delay gets to its threshold.</summary>
    public const double DelayResolutionMs = 0.5;

    private int _runs;

    /// <summary>Shrinks the faults of <paramref name="failing"/> (a run of this topology, policy and seed) keeping its verdict.</summary>
    public ShrinkResult Shrink(RunReport failing)
    {
        ArgumentNullException.ThrowIfNull(failing);
        var target = failing.Verdict;
        var faults = ddmin([.. failing.Faults], target);
        for (var i = 0; i < faults.Count; i++)
        {
            if (faults[i] is not { Kind: "delay", DelayMs: { } original }) continue;
            double low = 0, high = original; // high fails, low is not known to fail
            var at = i;
            Fault With(double ms) => faults[at] with { DelayMs = Math.Round(ms, 3) };
            if (Fails(Replace(faults, i, With(0)), target)) high = 0;
            while (high - low > DelayResolutionMs)
            {
                var mid = (low + high) / 2;
                if (Fails(Replace(faults, i, With(mid)), target)) high = mid;
                else low = mid;
            }
            faults[i] = With(high);
        }
        var final = Run(faults);
        return new ShrinkResult(target, [.. faults], final, _runs);
    }

    private static List<Fault> Replace(List<Fault> faults, int index, Fault fault)
    {
        var copy = faults.ToList();
        copy[index] = fault;
        return copy;
    }

    private List<Fault> ddmin(List<Fault> faults, Verdict target)
    {
        var n = 2;
        while (faults.Count >= 2)
        {
            var chunks = Split(faults, n);
            var reduced = false;
            foreach (var chunk in chunks)
            {
                if (Fails(chunk, target))
                {
                    faults = chunk;
                    n = 2;
                    reduced = true;
                    break;
                }
            }
            if (!reduced)
            {
                foreach (var chunk in chunks)
                {
                    var complement = faults.Except(chunk).ToList();
                    if (complement.Count > 0 && Fails(complement, target))
                    {
                        faults = complement;
                        n = Math.Max(n - 1, 2);
                        reduced = true;
                        break;
                    }
                }
            }
            if (reduced) continue;
            if (n >= faults.Count) break;
            n = Math.Min(faults.Count, n * 2);
        }
        if (faults.Count == 1 && Fails([], target)) faults = [];
        return faults;
    }

    private static List<List<Fault>> Split(List<Fault> faults, int n)
    {
        var chunks = new List<List<Fault>>();
        var start = 0;
        for (var i = 0; i < n; i++)
        {
            var size = (faults.Count - start) / (n - i);
            if (size <= 0) continue;
            chunks.Add(faults.GetRange(start, size));
            start += size;
        }
        return chunks;
    }

    private bool Fails(List<Fault> faults, Verdict target) => Run(faults).Verdict == target;

    private RunReport Run(List<Fault> faults)
    {
        _runs++;
        return TopologyRunner.Run(driver, topology, policy, seed, new TopologyRunSettings { Chaos = chaos, Script = new FaultScript([.. faults]) });
    }
}
