using System.Collections.Immutable;
using LeaseActors.Judging;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Judging;

public sealed class ExpectationCheckTests
{
    [Fact]
    public void Signal_differences_are_listed_in_process_name_order_whatever_the_dictionary_s_order()
    {
        // Twelve processes that each expected a signal and got none: the dictionary's own order follows string hash
        // codes, which change from one process to the next, so a results file would differ between two runs of a campaign.
        var names = Enumerable.Range(0, 12).Select(i => $"P{i:00}").ToArray();
        var expectation = new Expectation
        {
            Signals = names.Reverse().ToImmutableDictionary(n => n, _ => ImmutableArray.Create("SIGIO")),
        };
        var report = new RunReport
        {
            Topology = "t",
            Policy = "mainline",
            Seed = 0,
            Verdict = Verdict.Clean,
            EndedBy = "quiescence",
            VirtualTimeMs = 0,
            Events = 0,
            TraceSha256 = "",
            Expectation = ExpectationResult.None,
            Trace = new RunTrace(() => TimeSpan.Zero),
        };

        var result = RunJudge.Check(expectation, report);

        Assert.Equal(names.Select(n => $"{n}.signals: expected [SIGIO], got []"), result.Differences);
    }
}
