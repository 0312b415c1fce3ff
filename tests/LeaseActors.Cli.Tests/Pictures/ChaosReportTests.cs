using LeaseActors.Campaigns;
using LeaseActors.Judging;

namespace LeaseActors.Cli.Tests.Pictures;

public sealed class ChaosReportTests
{
    private static string Chaos(TempDir dir, params string[] extra)
    {
        var report = dir.File("report.html");
        var (exit, _, err) = CliRunner.Run(["chaos", Topologies.Path("handler-in-time"), "--chaos", Path.Combine(CliRunner.RepoRoot, "configs", "chaos", "slow-handlers.conf"),
            "--runs", "120", "--parallel", "1", "--report", report, .. extra]);
        Assert.True(exit == 0, err);
        Assert.Contains("wrote the report to", err, StringComparison.Ordinal);
        return report;
    }

    [Fact]
    public void The_report_has_every_part_and_no_network()
    {
        using var dir = new TempDir();
        var html = File.ReadAllText(Chaos(dir));
        foreach (var part in new[] { "id=\"verdicts\"", "id=\"histogram\"", "id=\"cdf\"", "id=\"crossing\"", "id=\"faults\"", "delay at handler", "id=\"worst\"", "Shrunk counterexample", "svg id=\"timeline\"", "leaseactors replay ", "--schedule ", "deadline (slack 0)" })
            Assert.Contains(part, html, StringComparison.Ordinal);
        foreach (var remote in new[] { "https://", "<link", "src=", "@import" })
            Assert.DoesNotContain(remote, html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clean_campaign_shows_the_run_closest_to_its_deadline()
    {
        using var dir = new TempDir();
        var report = dir.File("clean.html");
        var (exit, _, err) = CliRunner.Run("chaos", Topologies.Path("handler-in-time"), "--runs", "5", "--parallel", "1", "--report", report);
        Assert.True(exit == 0, err);
        var html = File.ReadAllText(report);
        Assert.Contains("all 5 runs were clean", html, StringComparison.Ordinal);
        Assert.Contains("The run with the least slack", html, StringComparison.Ordinal);
        Assert.Contains("No run had a fault injected.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_report_is_bad_input()
    {
        using var dir = new TempDir();
        var (exit, _, err) = CliRunner.Run("chaos", Topologies.Path("handler-in-time"), "--runs", "2", "--parallel", "1", "--report", Path.Combine(dir.Path, "missing", "r.html"));
        Assert.Equal(2, exit);
        Assert.Contains("cannot write the report", err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_counts_each_kind_of_fault_once_per_run_and_keeps_the_runs_without_faults()
    {
        var s = new CampaignSummary();
        s.Add(0, 1, Verdict.Late, 0, [("delay", "handler"), ("delay", "handler"), ("drop", "drop")]);
        s.Add(1, 2, Verdict.Clean, 100, [("delay", "handler")]);
        s.Add(2, 3, Verdict.Clean, 200);
        var byFault = s.ByFault.ToDictionary(f => (f.Kind, f.Point));
        Assert.Equal(2, byFault[("delay", "handler")].Runs);
        Assert.Equal(1, byFault[("delay", "handler")].NotClean);
        Assert.Equal(1, byFault[("drop", "drop")].Runs);
        Assert.Equal(1, s.WithoutFaults.Runs);
        Assert.Equal(0, s.WithoutFaults.NotClean);
        Assert.Equal([(0L, 1L), (100L, 1L), (200L, 1L)], s.SlackHistogram);
    }

    [Fact]
    public void A_resumed_campaign_keeps_its_fault_breakdown()
    {
        using var dir = new TempDir();
        var results = dir.File("results.jsonl");
        var chaos = Path.Combine(CliRunner.RepoRoot, "configs", "chaos", "slow-handlers.conf");
        var (exit, _, err) = CliRunner.Run("chaos", Topologies.Path("handler-in-time"), "--chaos", chaos, "--runs", "40", "--parallel", "1", "--out", results, "--no-shrink");
        Assert.True(exit == 0, err);
        var whole = File.ReadAllText(results);
        var report = dir.File("r.html");
        (exit, _, err) = CliRunner.Run("chaos", Topologies.Path("handler-in-time"), "--chaos", chaos, "--runs", "40", "--parallel", "1", "--resume", results, "--no-shrink", "--report", report);
        Assert.True(exit == 0, err);
        Assert.Equal(whole, File.ReadAllText(results));
        Assert.Contains("delay at handler", File.ReadAllText(report), StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task The_report_opens_in_Chromium_without_errors_and_marks_the_deadline()
    {
        using var dir = new TempDir();
        var page = await Chromium.Check(Chaos(dir),
            "document.querySelectorAll('#histogram rect.bin').length",
            "document.querySelectorAll('#histogram line.deadline, #cdf line.deadline').length",
            "document.querySelectorAll('#cdf #crossing circle').length",
            "document.querySelectorAll('#faults tr.fault-row').length",
            "document.querySelectorAll('#example svg#timeline g.lane').length",
            "document.querySelectorAll('#histogram rect.bin.past').length",
            "document.getElementById('headlines').textContent");
        Assert.Empty(page.Errors);
        Assert.True((int)page.Values[0]! >= 2);
        Assert.Equal(2, (int)page.Values[1]!);
        Assert.Equal(1, (int)page.Values[2]!);
        Assert.Equal(2, (int)page.Values[3]!); // delay at handler, and no fault at all
        Assert.True((int)page.Values[4]! >= 3);
        Assert.Equal(1, (int)page.Values[5]!);
        Assert.Contains("crosses the deadline", (string)page.Values[6]!, StringComparison.Ordinal);
    }
}
