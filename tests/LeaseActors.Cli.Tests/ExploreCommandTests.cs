using System.Text.Json;

namespace LeaseActors.Cli.Tests;

public sealed class ExploreCommandTests
{
    private static string Repo(string relative) => Path.Combine(CliRunner.RepoRoot, relative);

    /// <summary>One process that exits at once: the engine's start-up and exit leave a choice tree of a few schedules.</summary>
    private const string OneProcess = "# One process that exits.\nprocesses { A.program = [ { exit = 0 } ] }\n";

    private static JsonElement Json(string output)
    {
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    private static JsonElement Explore(TempDir dir, params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(["explore", .. args, "--out-dir", dir.Path, "--json"]);
        Assert.True(exit == 0, $"exit {exit}\n{output}{error}");
        return Json(output);
    }

    [Fact]
    public void Dfs_on_a_one_process_topology_exhausts_its_space_within_the_budget_and_finds_only_clean()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("one.conf"), OneProcess);

        var result = Explore(dir, dir.File("one.conf"), "--strategy", "dfs", "--budget", "1000");

        var runs = result.GetProperty("runs").GetInt32();
        Assert.InRange(runs, 2, 999);
        Assert.True(result.GetProperty("exhausted").GetBoolean());
        Assert.False(result.GetProperty("boundHit").GetBoolean());
        var verdict = Assert.Single(result.GetProperty("verdicts").EnumerateArray());
        Assert.Equal("clean", verdict.GetProperty("verdict").GetString());
        Assert.Equal(runs, verdict.GetProperty("runs").GetInt32());
        Assert.Equal(0, verdict.GetProperty("first").GetProperty("run").GetInt32());

        // One run fewer than the space holds: the same search must not claim exhaustion.
        var cut = Explore(dir, dir.File("one.conf"), "--strategy", "dfs", "--budget", (runs - 1).ToString());
        Assert.Equal(runs - 1, cut.GetProperty("runs").GetInt32());
        Assert.False(cut.GetProperty("exhausted").GetBoolean());
    }

    [Fact]
    public void Dfs_with_a_bound_below_the_runs_choice_points_reports_the_bound_hit_and_not_exhaustion()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("one.conf"), OneProcess);

        var full = Explore(dir, dir.File("one.conf"), "--strategy", "dfs", "--budget", "1000");
        var bounded = Explore(dir, dir.File("one.conf"), "--strategy", "dfs", "--budget", "1000", "--bound", "1");
        var (_, text, _) = CliRunner.Run("explore", dir.File("one.conf"), "--strategy", "dfs", "--budget", "1000", "--bound", "1", "--out-dir", dir.Path);

        Assert.True(bounded.GetProperty("boundHit").GetBoolean());
        Assert.False(bounded.GetProperty("exhausted").GetBoolean());
        Assert.True(bounded.GetProperty("runs").GetInt32() < full.GetProperty("runs").GetInt32());
        Assert.Contains("bound hit", text, StringComparison.Ordinal);
        Assert.Contains("not exhausted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dfs_on_the_seed_email_finds_late_on_every_schedule_within_its_budget()
    {
        using var dir = new TempDir();

        var result = Explore(dir, Repo("configs/topologies/seed-email.conf"), "--strategy", "dfs", "--budget", "40");

        Assert.Equal(40, result.GetProperty("runs").GetInt32());
        Assert.False(result.GetProperty("exhausted").GetBoolean());
        var verdict = Assert.Single(result.GetProperty("verdicts").EnumerateArray());
        Assert.Equal("late", verdict.GetProperty("verdict").GetString());
        Assert.True(result.GetProperty("distinctTraces").GetInt32() >= 1);
    }

    [Fact]
    public void Random_exploration_with_delays_finds_late_and_clean_and_each_first_schedule_replays_to_its_hash()
    {
        using var dir = new TempDir();
        var topology = Repo("configs/topologies/handler-in-time.conf");

        var result = Explore(dir, topology, "--strategy", "random", "--budget", "300", "--chaos", Repo("configs/chaos/delays.conf"));

        var verdicts = result.GetProperty("verdicts").EnumerateArray().ToList();
        Assert.Equal(["late", "clean"], verdicts.Select(v => v.GetProperty("verdict").GetString()));
        Assert.Equal(300, verdicts.Sum(v => v.GetProperty("runs").GetInt32()));
        Assert.True(result.GetProperty("distinctTraces").GetInt32() > 1);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("exhausted").ValueKind);
        foreach (var verdict in verdicts)
        {
            var first = verdict.GetProperty("first");
            var schedule = first.GetProperty("schedule").GetString()!;
            Assert.StartsWith(dir.Path, schedule, StringComparison.Ordinal);
            Assert.Equal($"leaseactors replay {topology} --schedule {schedule}", first.GetProperty("replay").GetString());

            var replay = CliRunner.Run("replay", topology, "--schedule", schedule, "--json");
            var replayed = Json(replay.Out);
            Assert.Equal(first.GetProperty("traceSha256").GetString(), replayed.GetProperty("traceSha256").GetString());
            Assert.Equal(verdict.GetProperty("verdict").GetString(), replayed.GetProperty("verdict").GetString());

            // A random run is also the seed's run: replay --seed with the same plan gives it too.
            var bySeed = Json(CliRunner.Run("replay", topology, "--seed", first.GetProperty("seed").GetUInt64().ToString(),
                "--chaos", Repo("configs/chaos/delays.conf"), "--json").Out);
            Assert.Equal(first.GetProperty("traceSha256").GetString(), bySeed.GetProperty("traceSha256").GetString());
        }
    }

    [Fact]
    public void Pct_exploration_finds_a_verdict_whose_schedule_replays()
    {
        using var dir = new TempDir();
        var topology = Repo("configs/topologies/two-readers-one-writer.conf");

        var result = Explore(dir, topology, "--strategy", "pct", "--budget", "30", "--depth", "2", "--seed", "5");

        Assert.Equal(30, result.GetProperty("runs").GetInt32());
        Assert.Equal(2, result.GetProperty("depth").GetInt32());
        var first = Assert.Single(result.GetProperty("verdicts").EnumerateArray()).GetProperty("first");
        var replay = CliRunner.Run("replay", topology, "--schedule", first.GetProperty("schedule").GetString()!, "--json");
        Assert.Equal(first.GetProperty("traceSha256").GetString(), Json(replay.Out).GetProperty("traceSha256").GetString());
    }

    [Fact]
    public void The_same_exploration_gives_the_same_result()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var topology = Repo("configs/topologies/handler-in-time.conf");
        string[] args = [topology, "--strategy", "pct", "--budget", "20", "--seed", "9", "--chaos", Repo("configs/chaos/delays.conf")];

        var first = Explore(a, args).ToString().Replace(a.Path, "DIR", StringComparison.Ordinal);
        var second = Explore(b, args).ToString().Replace(b.Path, "DIR", StringComparison.Ordinal);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Fail_on_exits_with_1_when_that_verdict_or_a_worse_one_is_found_and_0_otherwise()
    {
        using var dir = new TempDir();
        var topology = Repo("configs/topologies/seed-email.conf");

        var refused = CliRunner.Run("explore", topology, "--strategy", "random", "--budget", "3", "--fail-on", "refused", "--out-dir", dir.Path);
        var late = CliRunner.Run("explore", topology, "--strategy", "random", "--budget", "3", "--fail-on", "late", "--out-dir", dir.Path);
        var hang = CliRunner.Run("explore", topology, "--strategy", "random", "--budget", "3", "--fail-on", "hang", "--out-dir", dir.Path);

        Assert.Equal(1, refused.Exit);
        Assert.Equal(1, late.Exit);
        Assert.Equal(0, hang.Exit);
        Assert.Contains("late", hang.Out, StringComparison.Ordinal);
        Assert.Contains("leaseactors replay", hang.Out, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> BadInputs() => new()
    {
        { ["--strategy", "bfs", "--budget", "3"], "--strategy must be random, pct or dfs (got 'bfs')" },
        { ["--budget", "3"], "--strategy" },
        { ["--strategy", "dfs"], "--budget" },
        { ["--strategy", "dfs", "--budget", "0"], "--budget must be at least 1 (got 0)" },
        { ["--strategy", "pct", "--budget", "3", "--depth", "0"], "--depth must be at least 1 (got 0)" },
        { ["--strategy", "dfs", "--budget", "3", "--bound", "-1"], "--bound must be at least 0 (got -1)" },
        { ["--strategy", "dfs", "--budget", "3", "--fail-on", "bad"], "--fail-on: unknown verdict 'bad'" },
        { ["--strategy", "dfs", "--budget", "3", "--policy", "nonsense"], "unknown policy 'nonsense'" },
        { ["--strategy", "dfs", "--budget", "3", "--chaos", "/nonexistent/plan.conf"], "/nonexistent/plan.conf" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_to_explore_exits_with_2_and_says_what_is_wrong(string[] args, string message)
    {
        var (exit, output, error) = CliRunner.Run(["explore", Repo("configs/topologies/seed-email.conf"), .. args]);

        Assert.True(exit == 2, $"exit {exit}\n{output}{error}");
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_topology_file_is_bad_input()
    {
        var (exit, _, error) = CliRunner.Run("explore", "/nonexistent/t.conf", "--strategy", "random", "--budget", "1");

        Assert.Equal(2, exit);
        Assert.Contains("/nonexistent/t.conf", error, StringComparison.Ordinal);
    }
}

public sealed class ExploreCommandQuoteTests
{
    [Theory]
    [InlineData("/tmp/a/b.schedule.json", "/tmp/a/b.schedule.json")]
    [InlineData("/tmp/my dir/s.json", "'/tmp/my dir/s.json'")]
    [InlineData("/tmp/it's/s.json", "'/tmp/it'\\''s/s.json'")]
    [InlineData("", "''")]
    public void Paths_in_printed_replay_commands_are_shell_words(string path, string quoted) =>
        Assert.Equal(quoted, LeaseActors.Cli.Commands.ExploreCommand.Quote(path));
}
