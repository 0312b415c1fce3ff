using System.Text.Json;

namespace LeaseActors.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_without_a_topology_prints_the_seed_scenario_timeline_and_its_late_verdict()
    {
        var (exit, output, error) = CliRunner.Run("run");
        Assert.True(exit == 0, error + output);
        Assert.Contains("verdict: late", output, StringComparison.Ordinal);
        Assert.Contains("<- nobody was told", output, StringComparison.Ordinal);
        Assert.Contains("H3", output, StringComparison.Ordinal);
        Assert.Contains("expectation: met", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_json_prints_only_the_run_result_and_the_same_seed_gives_the_same_hash()
    {
        var first = CliRunner.Run("run", "--json", "--seed", "7");
        var second = CliRunner.Run("run", "--json", "--seed", "7");
        Assert.Equal(0, first.Exit);
        using var a = JsonDocument.Parse(first.Out);
        using var b = JsonDocument.Parse(second.Out);
        Assert.Equal("schemaVersion", a.RootElement.EnumerateObject().First().Name);
        Assert.Equal("late", a.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(7UL, a.RootElement.GetProperty("seed").GetUInt64());
        var breaks = a.RootElement.GetProperty("breaks");
        Assert.Equal(1, breaks.GetArrayLength());
        Assert.Equal(0, breaks[0].GetProperty("notified").GetArrayLength());
        Assert.Equal(a.RootElement.GetProperty("traceSha256").GetString(), b.RootElement.GetProperty("traceSha256").GetString());
        Assert.True(a.RootElement.GetProperty("expectation").GetProperty("met").GetBoolean());
    }

    [Fact]
    public void Trace_out_writes_the_canonical_trace_whose_hash_is_the_reported_one()
    {
        var file = Path.Combine(Path.GetTempPath(), $"leaseactors-trace-{Guid.NewGuid():N}.jsonl");
        try
        {
            var (exit, output, _) = CliRunner.Run("run", "--json", "--trace-out", file);
            Assert.Equal(0, exit);
            using var doc = JsonDocument.Parse(output);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
            Assert.Equal(doc.RootElement.GetProperty("traceSha256").GetString(), hash);
            Assert.All(File.ReadAllLines(file), line => JsonDocument.Parse(line).Dispose());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_unknown_policy_is_bad_input_with_exit_code_2()
    {
        var (exit, _, error) = CliRunner.Run("run", "--policy", "nonsense");
        Assert.Equal(2, exit);
        Assert.Contains("unknown policy 'nonsense'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_topology_file_is_bad_input_with_exit_code_2()
    {
        var (exit, _, error) = CliRunner.Run("run", "/no/such/topology.conf");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/topology.conf", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var (exit, _, error) = CliRunner.Run("run", "--frobnicate");
        Assert.Equal(2, exit);
        Assert.Contains("--frobnicate", error, StringComparison.Ordinal);
    }
}
