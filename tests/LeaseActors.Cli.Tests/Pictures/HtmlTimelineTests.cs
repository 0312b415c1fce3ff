using System.Text.Json.Nodes;

namespace LeaseActors.Cli.Tests.Pictures;

public sealed class HtmlTimelineTests
{
    private static string Trace(TempDir dir, params string[] args)
    {
        var file = dir.File("t.html");
        var (exit, _, err) = CliRunner.Run(["trace", .. args, "--format", "html", "-o", file]);
        Assert.True(exit == 0, err);
        return file;
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        using var dir = new TempDir();
        var html = File.ReadAllText(Trace(dir));
        Assert.Contains("<svg id=\"timeline\"", html, StringComparison.Ordinal);
        foreach (var remote in new[] { "http://", "https://", "//cdn", "@import", "<link", "src=" })
            Assert.DoesNotContain(remote, html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_seed_page_says_C_waited_45_s_and_B_never_got_the_signal()
    {
        using var dir = new TempDir();
        var html = File.ReadAllText(Trace(dir));
        Assert.Contains("verdict: late", html, StringComparison.Ordinal);
        Assert.Contains("C&#39;s open [breaker] waited 45 s", html, StringComparison.Ordinal);
        Assert.Contains("B held the lease and never got the signal", html, StringComparison.Ordinal);
        Assert.Contains("open [breaker] blocked 45 s", html, StringComparison.Ordinal);
        Assert.Contains("deadline 45 s", html, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task The_seed_page_opens_in_Chromium_without_errors_and_shows_the_story()
    {
        using var dir = new TempDir();
        var page = await Chromium.Check(Trace(dir),
            "document.querySelectorAll('svg#timeline g.lane').length",
            "document.querySelectorAll('svg#timeline line.deadline').length",
            "document.getElementById('verdict').textContent",
            "document.getElementById('headlines').textContent",
            "document.querySelectorAll('#legend li').length",
            "document.querySelectorAll('.instant-never-signalled').length",
            "Math.round(document.querySelector('.span-blocked rect').getBBox().width)",
            """
            (function () {
              var el = document.querySelector('.span-blocked');
              var box = el.getBoundingClientRect();
              el.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: box.left + 5, clientY: box.top + 5 }));
              var tip = document.getElementById('tip');
              return tip.hidden ? 'hidden' : tip.textContent;
            })()
            """);
        Assert.Empty(page.Errors);
        Assert.Equal(5, (int)page.Values[0]!); // A, B, C, the lease, the kernel's findings
        Assert.Equal(1, (int)page.Values[1]!);
        Assert.Equal("verdict: late", (string)page.Values[2]!);
        Assert.Contains("waited 45 s", (string)page.Values[3]!, StringComparison.Ordinal);
        Assert.Contains("B held the lease and never got the signal", (string)page.Values[3]!, StringComparison.Ordinal);
        Assert.True((int)page.Values[4]! >= 10);
        Assert.Equal(1, (int)page.Values[5]!);
        Assert.True((int)page.Values[6]! > 500, "C's 45 s wait should take most of the width");
        Assert.Contains("blocked 45 s", (string)page.Values[7]!, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task An_rdma_page_with_faults_opens_in_Chromium_without_errors()
    {
        using var dir = new TempDir();
        var page = await Chromium.Check(Trace(dir, Topologies.Path("rdma-seed"), "--policy", "mr-holds-lease", "--chaos",
                Path.Combine(CliRunner.RepoRoot, "configs", "chaos", "rdma-seed-crashes.conf"), "--seed", "1"),
            "document.querySelectorAll('svg#timeline g.lane-region').length",
            "document.querySelectorAll('svg#timeline g.span').length");
        Assert.Empty(page.Errors);
        Assert.True((int)page.Values[0]! >= 1);
        Assert.True((int)page.Values[1]! >= 3);
    }

    [Fact]
    public void Bad_input_is_refused_with_exit_2()
    {
        Assert.Equal(2, CliRunner.Run("trace", "--format", "png").Exit);
        Assert.Equal(2, CliRunner.Run("trace", "no-such.conf", "--format", "html").Exit);
        Assert.Equal(2, CliRunner.Run("trace").Exit);
        using var dir = new TempDir();
        Assert.Equal(2, CliRunner.Run("trace", "--format", "html", "-o", Path.Combine(dir.Path, "missing", "x.html")).Exit);
    }
}
