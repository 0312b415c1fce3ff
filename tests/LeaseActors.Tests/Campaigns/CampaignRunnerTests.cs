using System.Collections.Concurrent;
using LeaseActors.Campaigns;
using LeaseActors.Chaos;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Campaigns;

public sealed class CampaignRunnerTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly Topology Topology = TopologyParser.Parse("""
        files.data { path = /data }
        processes {
          A.program = [ { open = data, flags = [O_RDONLY], as = f }, { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK, label = lease }, { sleep = 2m } ]
          A.handlers.SIGIO = { takes = 20ms, steps = [ { fcntl = F_SETLEASE, fd = f, arg = F_UNLCK } ] }
          B.program = [ { wait-for = A.lease }, { open = data, flags = [O_RDWR], as = w } ]
        }
        """, "small.conf");

    private static readonly ChaosPlan Plan = ChaosPlanParser.Parse("delays = [ { at = handler, distribution = uniform, min = 0ms, max = 60s } ]");

    private static CampaignOptions Options(long runs, int parallel = 2) =>
        new() { Topology = Topology, Chaos = Plan, Runs = runs, Seed = 7, Parallel = parallel };

    private Dictionary<long, string> Lines(CampaignOptions options, Func<long?>? take = null)
    {
        var lines = new Dictionary<long, string>();
        void OnRun(CampaignRun run) => lines.Add(run.Index, CampaignResultsFile.Line(run with { WallMs = 0 }));
        if (take is null) CampaignRunner.Run(fixture.System, options, OnRun);
        else CampaignRunner.Run(fixture.System, options, take, OnRun);
        return lines;
    }

    [Fact]
    public void Indices_handed_out_by_a_source_in_any_order_give_the_same_runs_as_the_whole_campaign()
    {
        var whole = Lines(Options(40));
        var order = new ConcurrentQueue<long>(Enumerable.Range(0, 40).Select(i => (long)(39 - i)).Where(i => i % 3 != 0));

        var some = Lines(Options(40), () => order.TryDequeue(out var i) ? i : null);

        Assert.Equal(26, some.Count);
        foreach (var (index, line) in some) Assert.Equal(whole[index], line);
    }

    [Fact]
    public void A_source_that_hands_out_an_index_outside_the_campaign_fails_the_campaign()
    {
        var handed = 0;
        var error = Assert.Throws<InvalidOperationException>(() => Lines(Options(10, parallel: 1), () => Interlocked.Increment(ref handed) == 1 ? 10 : null));
        Assert.Contains("outside the campaign's 10 runs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_results_line_reads_back_as_the_result_of_the_run_that_wrote_it()
    {
        var options = Options(30);
        var runs = new List<CampaignRun>();
        CampaignRunner.Run(fixture.System, options, runs.Add, format: CampaignResultsFile.Line);

        foreach (var run in runs)
        {
            var read = CampaignResultsFile.Read(run.Formatted!, options, "mainline");
            var made = CampaignResult.Of(run);
            Assert.Equal((made.Run, made.Seed, made.Verdict, made.WorstSlackMs, made.Line), (read.Run, read.Seed, read.Verdict, read.WorstSlackMs, read.Line));
            Assert.Equal(made.Faults.ToArray(), read.Faults.ToArray());
        }
        Assert.Contains(runs, r => r.Report.Faults.Length > 0);
    }

    [Fact]
    public void A_line_of_another_campaign_is_refused_with_the_reason()
    {
        var options = Options(5);
        string? line = null;
        CampaignRunner.Run(fixture.System, options, run => line ??= run.Formatted, format: CampaignResultsFile.Line);

        var otherSeed = Assert.Throws<InvalidDataException>(() => CampaignResultsFile.Read(line!, options with { Seed = 8 }, "mainline"));
        Assert.Contains("--seed 8", otherSeed.Message, StringComparison.Ordinal);
        var otherPolicy = Assert.Throws<InvalidDataException>(() => CampaignResultsFile.Read(line!, options, "odp"));
        Assert.Contains("not small under odp", otherPolicy.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => CampaignResultsFile.Read("{\"run\":", options, "mainline"));
    }
}
