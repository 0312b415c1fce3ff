using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

/// <summary>Assertions shared by the tests that run Akka features inside a run.</summary>
internal static class RunAssert
{
    /// <summary>
    /// Runs <paramref name="root"/> twice for each seed, asserts the two traces have the same hash and that no
    /// call leaked into the run, and returns the first run of each seed.
    /// </summary>
    public static List<RunResult> Deterministic(SimulationDriver driver, Func<RunContext, Props> root, int seeds = 20)
    {
        var results = new List<RunResult>();
        for (ulong seed = 0; seed < (ulong)seeds; seed++)
        {
            var first = driver.Run(new RunOptions { Seed = seed }, root);
            var second = driver.Run(new RunOptions { Seed = seed }, root);
            Assert.Equal(first.TraceSha256, second.TraceSha256);
            Assert.Empty(first.Leaks);
            Assert.Equal(RunEndReason.Quiescence, first.EndedBy);
            results.Add(first);
        }
        return results;
    }

    /// <summary>The trace as "kind field=value …" lines, the way <see cref="TraceEvent.ToString"/> writes them.</summary>
    public static List<string> Lines(RunResult result) => [.. result.Trace.Entries.Select(e => e.Event.ToString()!)];

    /// <summary>The lines whose event has field <paramref name="field"/> equal to <paramref name="value"/>.</summary>
    public static List<string> LinesWhere(RunResult result, string field, string value) =>
        [.. result.Trace.Entries.Where(e => Equals(((TraceEvent)e.Event)[field], value)).Select(e => e.Event.ToString()!)];
}
