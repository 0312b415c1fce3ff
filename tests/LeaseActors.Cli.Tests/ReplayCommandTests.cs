using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeaseActors.Cli.Tests;

public sealed class ReplayCommandTests
{
    private static string Repo(string relative) => Path.Combine(CliRunner.RepoRoot, relative);

    private static string HandlerInTime => Repo("configs/topologies/handler-in-time.conf");

    private static string Delays => Repo("configs/chaos/delays.conf");

    private static JsonElement Json(string output)
    {
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    [Theory]
    [InlineData("configs/topologies/seed-email.conf", 3UL)]
    [InlineData("configs/topologies/two-readers-one-writer.conf", 11UL)]
    [InlineData("configs/topologies/rdma-seed.conf", 12345678901234UL)]
    public void Replay_with_a_seed_gives_the_trace_hash_of_run_with_that_seed(string topology, ulong seed)
    {
        var run = CliRunner.Run("run", Repo(topology), "--seed", seed.ToString(), "--json");
        var replay = CliRunner.Run("replay", Repo(topology), "--seed", seed.ToString(), "--json");
        var other = CliRunner.Run("replay", Repo(topology), "--seed", (seed + 1).ToString(), "--json");

        Assert.Equal(run.Exit, replay.Exit);
        Assert.Equal(Json(run.Out).GetProperty("traceSha256").GetString(), Json(replay.Out).GetProperty("traceSha256").GetString());
        Assert.Equal(seed, Json(replay.Out).GetProperty("seed").GetUInt64());
        Assert.Equal(seed + 1, Json(other.Out).GetProperty("seed").GetUInt64());
    }

    [Fact]
    public void Replay_with_a_seed_and_a_chaos_plan_samples_the_same_faults_as_run()
    {
        for (var seed = 0; seed < 5; seed++)
        {
            var run = Json(CliRunner.Run("run", HandlerInTime, "--seed", seed.ToString(), "--chaos", Delays, "--json").Out);
            var replay = Json(CliRunner.Run("replay", HandlerInTime, "--seed", seed.ToString(), "--chaos", Delays, "--json").Out);

            Assert.True(run.GetProperty("faults").GetArrayLength() > 0, "the delay plan injects faults");
            Assert.Equal(run.GetProperty("faults").ToString(), replay.GetProperty("faults").ToString());
            Assert.Equal(run.GetProperty("traceSha256").GetString(), replay.GetProperty("traceSha256").GetString());
        }
    }

    [Fact]
    public void A_schedule_saved_by_run_replays_to_the_same_hash_with_the_faults_taken_from_the_file()
    {
        using var dir = new TempDir();
        for (var seed = 0; seed < 5; seed++)
        {
            var file = dir.File($"s{seed}.json");
            var run = CliRunner.Run("run", HandlerInTime, "--seed", seed.ToString(), "--chaos", Delays, "--json", "--schedule-out", file);
            var recorded = Json(run.Out);

            // No --chaos and no --seed here: the faults and the seed come from the file.
            var replay = CliRunner.Run("replay", HandlerInTime, "--schedule", file, "--json");

            Assert.True(replay.Exit == run.Exit, replay.Err);
            var replayed = Json(replay.Out);
            Assert.Equal(recorded.GetProperty("traceSha256").GetString(), replayed.GetProperty("traceSha256").GetString());
            Assert.Equal(recorded.GetProperty("faults").ToString(), replayed.GetProperty("faults").ToString());
            var saved = Json(File.ReadAllText(file));
            Assert.Equal(recorded.GetProperty("faults").GetArrayLength(), saved.GetProperty("faults").GetArrayLength());
            Assert.True(saved.GetProperty("choices").GetArrayLength() > 0);
            Assert.Equal((ulong)seed, saved.GetProperty("seed").GetUInt64());
        }
    }

    [Fact]
    public void Replay_saves_a_schedule_too_and_it_is_the_same_file()
    {
        using var dir = new TempDir();
        CliRunner.Run("run", HandlerInTime, "--seed", "4", "--chaos", Delays, "--schedule-out", dir.File("a.json"));
        CliRunner.Run("replay", HandlerInTime, "--schedule", dir.File("a.json"), "--schedule-out", dir.File("b.json"));

        Assert.Equal(File.ReadAllText(dir.File("a.json")), File.ReadAllText(dir.File("b.json")));
    }

    [Fact]
    public void Without_its_faults_the_schedule_no_longer_gives_the_recorded_hash_and_replay_says_so()
    {
        using var dir = new TempDir();
        var file = dir.File("s.json");
        CliRunner.Run("run", HandlerInTime, "--seed", "1", "--chaos", Delays, "--schedule-out", file);
        var schedule = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.NotEmpty(schedule["faults"]!.AsArray());
        schedule["faults"] = new JsonArray();
        File.WriteAllText(file, schedule.ToJsonString());

        var (exit, output, error) = CliRunner.Run("replay", HandlerInTime, "--schedule", file);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("Replay diverged", error, StringComparison.Ordinal); // at the hash, or earlier where the schedule ran out
    }

    [Fact]
    public void A_tampered_choice_out_of_range_ends_with_exit_1_and_one_line_saying_where_it_diverged()
    {
        using var dir = new TempDir();
        var file = dir.File("s.json");
        CliRunner.Run("run", HandlerInTime, "--seed", "2", "--schedule-out", file);
        var schedule = JsonNode.Parse(File.ReadAllText(file))!;
        schedule["choices"]![0] = 99;
        File.WriteAllText(file, schedule.ToJsonString());

        var (exit, output, error) = CliRunner.Run("replay", HandlerInTime, "--schedule", file);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains("Replay diverged: recorded choice 1 is 99 but only", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schedule_cut_short_diverges_when_the_run_asks_for_more_choices()
    {
        using var dir = new TempDir();
        var file = dir.File("s.json");
        CliRunner.Run("run", HandlerInTime, "--seed", "2", "--schedule-out", file);
        var schedule = JsonNode.Parse(File.ReadAllText(file))!;
        var choices = schedule["choices"]!.AsArray();
        choices.RemoveAt(choices.Count - 1);
        File.WriteAllText(file, schedule.ToJsonString());

        var (exit, _, error) = CliRunner.Run("replay", HandlerInTime, "--schedule", file);

        Assert.Equal(1, exit);
        Assert.Contains("Replay diverged: the run asked for choice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_human_output_of_replay_is_the_timeline_of_run()
    {
        var run = CliRunner.Run("run", HandlerInTime, "--seed", "6");
        var replay = CliRunner.Run("replay", HandlerInTime, "--seed", "6");

        Assert.Equal(run.Out, replay.Out);
        Assert.Contains("verdict: clean", replay.Out, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], string> BadInputs() => new()
    {
        { "missing schedule file", ["--schedule", "/nonexistent/s.json"], "cannot read the file" },
        { "not JSON", ["--schedule", "{text}not json"], "not JSON" },
        { "a run result, not a schedule", ["--schedule", "{text}{\"schemaVersion\":1,\"topology\":\"x\"}"], "`kind` is missing" },
        { "negative choice", ["--schedule", "{schedule}choices=-1"], "`choices[0]` must be a non-negative integer" },
        { "another topology", ["--schedule", "{schedule}topology=seed-email"], "recorded for topology seed-email, not handler-in-time" },
        { "contradicting seed", ["--schedule", "{schedule}", "--seed", "9"], "recorded with seed 0, not 9" },
        { "contradicting policy", ["--schedule", "{schedule}", "--policy", "rfc-v2"], "recorded under policy mainline, not rfc-v2" },
        { "unknown policy", ["--policy", "nonsense"], "unknown policy 'nonsense'" },
        { "missing chaos plan", ["--chaos", "/nonexistent/plan.conf"], "/nonexistent/plan.conf" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_to_replay_exits_with_2_and_one_line(string name, string[] args, string message)
    {
        using var dir = new TempDir();
        var file = dir.File("schedule.json");
        CliRunner.Run("run", HandlerInTime, "--schedule-out", file);
        var expanded = args.Select(a =>
        {
            if (a.StartsWith("{text}", StringComparison.Ordinal))
            {
                File.WriteAllText(dir.File("text.json"), a["{text}".Length..]);
                return dir.File("text.json");
            }
            if (!a.StartsWith("{schedule}", StringComparison.Ordinal)) return a;
            var edit = a["{schedule}".Length..];
            if (edit.Length > 0)
            {
                var node = JsonNode.Parse(File.ReadAllText(file))!;
                var (key, value) = (edit.Split('=')[0], edit.Split('=')[1]);
                if (key == "choices") node["choices"]![0] = int.Parse(value);
                else node[key] = value;
                File.WriteAllText(file, node.ToJsonString());
            }
            return file;
        }).ToArray();

        var (exit, output, error) = CliRunner.Run(["replay", HandlerInTime, .. expanded]);

        Assert.True(exit == 2, $"{name}: exit {exit}\n{output}{error}");
        Assert.Equal("", output);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_chaos_plan_naming_a_process_the_topology_lacks_exits_with_2_and_one_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("plan.conf"), "chaos.crashes = [ { process = Z, at = lease } ]");

        var (exit, output, error) = CliRunner.Run("run", HandlerInTime, "--chaos", dir.File("plan.conf"));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("process `Z` is not in topology handler-in-time", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_chaos_plan_replaces_the_topologys_own_and_records_its_faults()
    {
        var plain = Json(CliRunner.Run("run", HandlerInTime, "--json").Out);
        var (exit, output, error) = CliRunner.Run("run", HandlerInTime, "--chaos", Delays, "--json");

        Assert.True(exit is 0 or 1, error);
        var chaotic = Json(output);
        Assert.Equal(0, plain.GetProperty("faults").GetArrayLength());
        Assert.True(chaotic.GetProperty("faults").GetArrayLength() > 0);
        Assert.NotEqual(plain.GetProperty("traceSha256").GetString(), chaotic.GetProperty("traceSha256").GetString());
    }
}
