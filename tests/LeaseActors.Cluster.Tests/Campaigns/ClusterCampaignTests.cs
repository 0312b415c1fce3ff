using LeaseActors.Campaigns;
using LeaseActors.Cluster.Campaigns;
using Xunit.Abstractions;

namespace LeaseActors.Cluster.Tests.Campaigns;

[Collection(ClusterNodesRunAlone.Name)]
public sealed class ClusterCampaignTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Runs a campaign on the coordinator, collecting its lines (without wall time), its summary and who made what.</summary>
    private (SortedDictionary<long, string> Lines, string Summary, ClusterCampaignReport Report) Coordinate(
        ClusterNodes nodes, CampaignSpec spec, CoordinatorOptions options, Action<CampaignResult, string>? observe = null, Func<long, bool>? skip = null)
    {
        var lines = new SortedDictionary<long, string>();
        var summary = new CampaignSummary();
        using var limit = new CancellationTokenSource(Limit);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = ClusterCampaign.Run(nodes.Coordinator, spec, options, (result, node) =>
        {
            lines.Add(result.Run, Reference.WithoutWallTime(result.Line!));
            summary.Add(result);
            observe?.Invoke(result, node);
        }, message => output.WriteLine($"{clock.Elapsed.TotalSeconds:0.000} s: {message}"), skip, limit.Token);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.000} s: {report.Runs} runs: {string.Join(", ", report.RunsByNode)}; lost {string.Join(", ", report.Lost)}; rerun elsewhere {report.RerunElsewhere}, duplicates {report.Duplicates}");
        return (lines, Reference.Describe(summary), report);
    }

    [Fact]
    public async Task A_campaign_on_three_nodes_gives_the_lines_and_summary_of_the_same_campaign_on_one_machine()
    {
        var spec = Reference.RdmaSeed(runs: 300, seed: 5);
        var (expectedLines, expectedSummary) = Reference.Local(spec);
        await using var nodes = new ClusterNodes();
        var b = nodes.StartWorker(new WorkerOptions { Parallel = 1 });
        var c = nodes.StartWorker(new WorkerOptions { Parallel = 1 });

        var (lines, summary, report) = Coordinate(nodes, spec,
            new CoordinatorOptions { MinWorkers = 2, RangeSize = 10, LocalWorker = new WorkerOptions { Parallel = 1 } });

        Assert.Equal(expectedLines, lines);
        Assert.Equal(expectedSummary, summary);
        Assert.DoesNotContain("Late=0", summary, StringComparison.Ordinal); // the campaign found late runs: the worst runs matter
        Assert.Equal(300, report.Runs);
        Assert.True(report.RunsByNode.Count >= 2, "runs were made on " + string.Join(", ", report.RunsByNode));
        Assert.Equal(300, report.RunsByNode.Values.Sum());
        Assert.Empty(report.Lost);
        Assert.Equal(WorkerEnd.Finished, (await b.Outcome.WaitAsync(Limit)).End);
        Assert.Equal(WorkerEnd.Finished, (await c.Outcome.WaitAsync(Limit)).End);
    }

    [Fact]
    public async Task A_worker_that_leaves_mid_campaign_has_its_unfinished_runs_made_by_the_others_with_the_same_results()
    {
        var spec = Reference.RdmaSeed(runs: 400, seed: 9);
        var (expectedLines, expectedSummary) = Reference.Local(spec);
        await using var nodes = new ClusterNodes();
        // B stops making progress once it has reported results (it holds its ranges mid-way), and is then terminated.
        using var release = new ManualResetEventSlim();
        var hold = false;
        var b = nodes.StartWorker(new WorkerOptions
        {
            Parallel = 1, BeforeRun = _ =>
            {
                if (Volatile.Read(ref hold)) release.Wait(Limit);
            },
        });
        var c = nodes.StartWorker(new WorkerOptions { Parallel = 1 });
        var bNode = CampaignCluster.Endpoint(b.System);
        Task? leaving = null;

        try
        {
            var (lines, summary, report) = Coordinate(nodes, spec,
                new CoordinatorOptions { MinWorkers = 2, RangeSize = 10, LocalWorker = new WorkerOptions { Parallel = 1 } }, (_, node) =>
                {
                    if (node != bNode || leaving is not null) return;
                    Volatile.Write(ref hold, true);
                    leaving = b.System.Terminate();
                });

            Assert.Equal(expectedLines, lines);
            Assert.Equal(expectedSummary, summary);
            Assert.NotNull(leaving);
            var lost = Assert.Single(report.Lost);
            Assert.Equal(bNode, lost.Node);
            Assert.True(lost.RequeuedRuns > 0, "B held unfinished runs when it left");
            Assert.True(report.RerunElsewhere > 0, "B's unfinished runs were made by another node");
            Assert.True(report.RunsByNode[bNode] > 0);
            Assert.Equal(400, report.RunsByNode.Values.Sum());
            Assert.Equal(WorkerEnd.Lost, (await b.Outcome.WaitAsync(Limit)).End);
            Assert.Equal(WorkerEnd.Finished, (await c.Outcome.WaitAsync(Limit)).End);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Runs_already_done_are_not_handed_out_and_without_a_local_worker_the_workers_make_every_run()
    {
        var spec = Reference.RdmaSeed(runs: 120, seed: 3);
        var (all, _) = Reference.Local(spec);
        await using var nodes = new ClusterNodes();
        var b = nodes.StartWorker(new WorkerOptions { Parallel = 1 });

        var (lines, _, report) = Coordinate(nodes, spec, new CoordinatorOptions { RangeSize = 7, LocalWorker = null }, skip: i => i % 3 == 0);

        Assert.Equal(all.Where(l => l.Key % 3 != 0), lines);
        Assert.Equal(80, report.Runs);
        Assert.Equal([CampaignCluster.Endpoint(b.System)], report.RunsByNode.Keys);
        Assert.Equal(WorkerEnd.Finished, (await b.Outcome.WaitAsync(Limit)).End);
    }
}
