namespace LeaseActors.Cli.Tests.Pictures;

/// <summary>
/// Snapshot tests of the Mermaid output: each is compared exactly with Approvals/NAME.approved.md (a fenced block, so
/// the file renders on GitHub). A mismatch writes NAME.received.md next to it and fails; to approve a change, look at
/// the received file and rename it over the approved one.
/// </summary>
public sealed class MermaidApprovalTests
{
    [Theory]
    [InlineData("seed-email")]
    [InlineData("handler-in-time")]
    [InlineData("handler-too-slow")]
    [InlineData("rdma-seed")]
    [InlineData("rdma-seed-rehome")]
    [InlineData("setown-takeover")]
    public void The_sequence_diagram_matches_its_approved_file(string topology)
    {
        var (exit, mermaid, err) = CliRunner.Run("trace", Topologies.Path(topology), "--format", "mermaid");
        Assert.True(exit == 0, err);
        Approvals.Verify("mermaid-" + topology, "```mermaid\n" + mermaid + "```\n");
    }

    [Fact]
    public void The_seed_diagram_says_B_never_gets_the_signal_and_C_waits_45_s()
    {
        var (_, mermaid, _) = CliRunner.Run("trace", "--format", "mermaid");
        Assert.StartsWith("sequenceDiagram\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("participant P1 as B", mermaid, StringComparison.Ordinal);
        Assert.Contains("Note over P1: holds the lease, never gets the break signal", mermaid, StringComparison.Ordinal);
        Assert.Contains("open [breaker] → 3 after 45 s", mermaid, StringComparison.Ordinal);
        Assert.True(mermaid.Split('\n').Length < 40, "the diagram should stay short enough to paste");
    }
}

/// <summary>Compares text with an approval file under tests/LeaseActors.Cli.Tests/Approvals.</summary>
internal static class Approvals
{
    public static string Folder => Path.Combine(CliRunner.RepoRoot, "tests", "LeaseActors.Cli.Tests", "Approvals");

    public static void Verify(string name, string received)
    {
        var approved = Path.Combine(Folder, name + ".approved.md");
        var receivedFile = Path.Combine(Folder, name + ".received.md");
        var expected = File.Exists(approved) ? File.ReadAllText(approved).ReplaceLineEndings("\n") : null;
        if (expected == received)
        {
            if (File.Exists(receivedFile)) File.Delete(receivedFile);
            return;
        }
        Directory.CreateDirectory(Folder);
        File.WriteAllText(receivedFile, received);
        Assert.Fail(expected is null
            ? $"no approved file {approved}; wrote {receivedFile}: check it and rename it to {Path.GetFileName(approved)}"
            : $"{name} differs from {approved}; wrote {receivedFile} (diff the two; rename it over the approved file if the change is right)");
    }
}
