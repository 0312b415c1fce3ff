using LeaseActors.Judging;

namespace LeaseActors.Cli.Tests;

/// <summary>
/// docs/policies.md holds the matrix of the RDMA topologies under the eleven policies, produced by the tool. These
/// tests run the tool again and compare, so every cell of the committed matrix is asserted and the docs cannot drift.
/// </summary>
public sealed class PoliciesDocTests
{
    private static string[] RdmaTopologies() =>
        [.. Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "configs", "topologies"), "rdma-*.conf").Order(StringComparer.Ordinal)];

    private static string CommittedMatrix()
    {
        var doc = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", "policies.md")).ReplaceLineEndings("\n");
        const string Begin = "<!-- matrix:begin -->\n", End = "<!-- matrix:end -->";
        var start = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/policies.md has no matrix:begin / matrix:end block");
        return doc[(start + Begin.Length)..end];
    }

    [Fact]
    public void The_committed_matrix_is_what_the_tool_prints_now()
    {
        var (exit, output, error) = CliRunner.Run(["matrix", .. RdmaTopologies(), "--markdown"]);
        Assert.True(exit == ExitCodes.Success, error + output);
        Assert.Equal(CommittedMatrix(), output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void There_are_at_least_eight_rdma_topologies_each_with_an_expectation_under_every_policy()
    {
        var files = RdmaTopologies();
        Assert.True(files.Length >= 8, $"only {files.Length} rdma-*.conf topologies");
        foreach (var file in files)
        {
            var topology = Topologies.TopologyParser.ParseFile(file);
            foreach (var policy in Policies.Known)
                Assert.True(topology.ExpectationFor(policy)?.Verdict is not null, $"{Path.GetFileName(file)} has no expected verdict under {policy}");
        }
    }

    [Fact]
    public void Every_verdict_appears_in_at_least_one_cell_of_the_committed_matrix()
    {
        var cells = CommittedMatrix().Split('\n').Where(l => l.StartsWith("| rdma-", StringComparison.Ordinal))
            .SelectMany(l => l.Split('|', StringSplitOptions.TrimEntries).Skip(2).Where(c => c.Length > 0))
            .Select(c => c.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var verdict in VerdictNames.All) Assert.Contains(verdict, cells);
    }

    [Theory]
    [InlineData("mainline", "refused")]
    [InlineData("rfc-v1", "refused")]
    [InlineData("rfc-v2", "refused")]
    [InlineData("deny-pass", "refused")]
    [InlineData("lease-per-holder", "violation")]
    [InlineData("mr-holds-lease", "clean")]
    [InlineData("odp", "clean")]
    [InlineData("wait-forever", "late")]
    [InlineData("revoke-kill", "late")]
    [InlineData("trust-lease", "corruption")]
    public void The_seed_scenario_with_rdma_gets_the_verdict_issue_5_names(string policy, string verdict)
    {
        var (_, output, error) = CliRunner.Run("run", Path.Combine(CliRunner.RepoRoot, "configs", "topologies", "rdma-seed.conf"), "--policy", policy, "--json");
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.True(verdict == json.RootElement.GetProperty("verdict").GetString(), error + output);
    }
}
