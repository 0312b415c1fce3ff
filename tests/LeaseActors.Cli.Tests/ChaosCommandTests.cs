using System.Text.Json;
using LeaseActors.Chaos;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Tests;

public sealed class ChaosCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leaseactors-chaos-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Topology(string name) => Path.Combine(CliRunner.RepoRoot, "configs", "topologies", name + ".conf");

    private static string Plan(string name) => Path.Combine(CliRunner.RepoRoot, "configs", "chaos", name + ".conf");

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>The lines of a results file keyed by run, without the one wall-clock field.</summary>
    private static SortedDictionary<long, string> Runs(string path)
    {
        var runs = new SortedDictionary<long, string>();
        foreach (var line in System.IO.File.ReadLines(path))
        {
            using var json = JsonDocument.Parse(line);
            var fields = json.RootElement.EnumerateObject().Where(p => p.Name != "wallMs").Select(p => p.Name + "=" + p.Value.GetRawText());
            runs.Add(json.RootElement.GetProperty("run").GetInt64(), string.Join(",", fields));
        }
        return runs;
    }

    [Fact]
    public void Every_run_is_one_json_line_with_its_index_seed_faults_and_wall_time_and_results_do_not_depend_on_parallel()
    {
        var one = File("one.jsonl");
        var two = File("two.jsonl");
        var (exit1, _, err1) = CliRunner.Run("chaos", Topology("rdma-seed"), "--policy", "mr-holds-lease", "--chaos", Plan("delays"), "--runs", "300", "--seed", "11", "--parallel", "1", "--out", one, "--no-shrink");
        var (exit2, _, err2) = CliRunner.Run("chaos", Topology("rdma-seed"), "--policy", "mr-holds-lease", "--chaos", Plan("delays"), "--runs", "300", "--seed", "11", "--parallel", "2", "--out", two, "--no-shrink");
        Assert.True(exit1 == 0, err1);
        Assert.True(exit2 == 0, err2);

        var first = Runs(one);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), first.Keys);
        Assert.Equal(first, Runs(two));
        using var line = JsonDocument.Parse(System.IO.File.ReadLines(one).First());
        var root = line.RootElement;
        Assert.Equal("schemaVersion", root.EnumerateObject().First().Name);
        Assert.Equal(DeterministicRandom.Derive(11UL, root.GetProperty("run").GetInt64()), root.GetProperty("seed").GetUInt64());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("faults").ValueKind);
        Assert.True(root.GetProperty("wallMs").GetDouble() >= 0);
        Assert.True(first.Values.Count(v => v.Contains("\"point\":\"handler\"", StringComparison.Ordinal)) > 250, "delays.conf delays every handler");
    }

    [Fact]
    public void Resume_drops_a_truncated_last_line_and_finishes_with_the_same_runs_as_an_uninterrupted_campaign()
    {
        var full = File("full.jsonl");
        Assert.Equal(0, CliRunner.Run("chaos", Topology("handler-in-time"), "--chaos", Plan("slow-handlers"), "--runs", "200", "--out", full, "--no-shrink").Exit);
        var lines = System.IO.File.ReadAllLines(full);
        var partial = File("partial.jsonl");
        // A campaign killed while writing: 70 lines, and half of the 71st.
        System.IO.File.WriteAllText(partial, string.Join("\n", lines.Take(70)) + "\n" + lines[70][..(lines[70].Length / 2)]);

        var (exit, output, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--chaos", Plan("slow-handlers"), "--runs", "200", "--resume", partial, "--no-shrink");

        Assert.True(exit == 0, error);
        Assert.Contains("70 of 200 runs already done", error, StringComparison.Ordinal);
        Assert.Equal(Runs(full), Runs(partial));
        Assert.Contains("200 runs", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Resuming_a_file_of_another_campaign_is_bad_input_naming_the_line()
    {
        var other = File("other.jsonl");
        Assert.Equal(0, CliRunner.Run("chaos", Topology("handler-in-time"), "--runs", "5", "--seed", "1", "--out", other, "--no-shrink").Exit);

        var (exit, _, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--runs", "5", "--seed", "2", "--resume", other);

        Assert.Equal(2, exit);
        Assert.Contains("line 1", error, StringComparison.Ordinal);
        Assert.Contains("--seed 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_counts_verdicts_with_wilson_intervals_slack_percentiles_worst_seeds_and_the_shrunk_counterexample()
    {
        var (exit, output, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--chaos", Plan("slow-handlers"), "--runs", "400", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(400, root.GetProperty("runs").GetInt64());
        var late = root.GetProperty("verdicts").GetProperty("late").GetInt64();
        Assert.Equal(400, root.GetProperty("verdicts").GetProperty("clean").GetInt64() + late);
        Assert.InRange(late, 20, 120); // 30% are slow by 0–90 s; about half of those miss the 45 s deadline
        var p = root.GetProperty("probabilities").GetProperty("late");
        Assert.Equal(late / 400.0, p.GetProperty("p").GetDouble(), 9);
        Assert.True(p.GetProperty("low95").GetDouble() < p.GetProperty("p").GetDouble() && p.GetProperty("p").GetDouble() < p.GetProperty("high95").GetDouble());
        var slack = root.GetProperty("slackMs");
        Assert.True(slack.GetProperty("min").GetDouble() <= slack.GetProperty("p1").GetDouble() + 1);
        Assert.True(slack.GetProperty("p1").GetDouble() <= slack.GetProperty("p10").GetDouble() && slack.GetProperty("p10").GetDouble() <= slack.GetProperty("p50").GetDouble());
        var worst = root.GetProperty("worst")[0];
        Assert.Equal("late", worst.GetProperty("verdict").GetString());
        Assert.Contains($"--seed {worst.GetProperty("seed").GetUInt64()}", worst.GetProperty("replay").GetString(), StringComparison.Ordinal);
        var shrunk = root.GetProperty("shrunk");
        Assert.Equal("late", shrunk.GetProperty("verdict").GetString());
        Assert.Equal("handler", Assert.Single(shrunk.GetProperty("faults").EnumerateArray()).GetProperty("point").GetString());
    }

    [Fact]
    public void The_worst_seed_run_alone_gives_the_trace_hash_of_its_campaign_line()
    {
        var results = File("r.jsonl");
        var (_, output, _) = CliRunner.Run("chaos", Topology("rdma-seed"), "--policy", "mr-holds-lease", "--chaos", Plan("delays"), "--runs", "200", "--out", results, "--json");
        using var summary = JsonDocument.Parse(output);
        var seed = summary.RootElement.GetProperty("worst")[0].GetProperty("seed").GetUInt64();
        var line = System.IO.File.ReadLines(results).Select(l => JsonDocument.Parse(l)).First(d => d.RootElement.GetProperty("seed").GetUInt64() == seed);

        using var system = SimulationSetup.CreateSystem("replay-check");
        using var driver = new SimulationDriver(system);
        var again = TopologyRunner.Run(driver, TopologyParser.ParseFile(Topology("rdma-seed")), "mr-holds-lease", seed,
            new TopologyRunSettings { Chaos = ChaosPlanParser.ParseFile(Plan("delays")) });

        Assert.Equal(line.RootElement.GetProperty("traceSha256").GetString(), again.TraceSha256);
    }

    [Theory]
    [InlineData("late", 1)]
    [InlineData("corruption", 0)]
    public void Fail_on_means_that_verdict_or_anything_more_severe(string verdict, int exit)
    {
        Assert.Equal(exit, CliRunner.Run("chaos", Topology("handler-too-slow"), "--runs", "3", "--fail-on", verdict, "--no-shrink").Exit);
    }

    [Fact]
    public void Bad_input_exits_with_2_and_a_message_naming_what_was_wrong()
    {
        var (exit, _, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--runs", "0");
        Assert.Equal(2, exit);
        Assert.Contains("runs", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--runs", "5", "--fail-on", "awful");
        Assert.Equal(2, exit);
        Assert.Contains("awful", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--runs", "5", "--chaos", Plan("rdma-seed-crashes"));
        Assert.Equal(2, exit);
        Assert.Contains("process `C` is not in topology handler-in-time", error, StringComparison.Ordinal);
    }
}
