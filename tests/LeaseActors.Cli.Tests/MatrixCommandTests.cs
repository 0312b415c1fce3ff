using System.Collections.Immutable;
using System.Text.Json;
using LeaseActors.Cli.Commands;
using LeaseActors.Cli.Output;
using LeaseActors.Judging;

namespace LeaseActors.Cli.Tests;

public sealed class MatrixCommandTests
{
    private static string Sample(string name) => Path.Combine(CliRunner.RepoRoot, "configs", "topologies", name + ".conf");

    private static readonly string SeedEmail = Sample("seed-email");
    private static readonly string HandlerInTime = Sample("handler-in-time");

    // handler-in-time's own expectation is `clean`; this copy expects `late`, so its mainline cell fails.
    private static string WrongExpectation() =>
        File.ReadAllText(HandlerInTime).Replace("verdict = clean", "verdict = late", StringComparison.Ordinal);

    // handler-in-time without its expect block: its cells are reported, not judged.
    private static string NoExpectation()
    {
        var text = File.ReadAllText(HandlerInTime);
        return text[..text.IndexOf("expect {", StringComparison.Ordinal)];
    }

    [Fact]
    public void The_table_has_a_row_per_topology_a_column_per_policy_and_each_cell_shows_verdict_worst_slack_and_mark()
    {
        var (exit, output, error) = CliRunner.Run("matrix", SeedEmail, HandlerInTime, "--policies", "mainline");
        Assert.True(exit == 0, error + output);
        var lines = output.Split('\n');
        Assert.Equal("matrix: 2 topologies × 1 policy, seed 0", lines[0]);
        Assert.Equal("topology         mainline", lines[2]);
        Assert.Equal("---------------  -------------", lines[3]);
        Assert.Equal("seed-email       late 0 ✓", lines[4]);
        Assert.Equal("handler-in-time  clean 44980 ✓", lines[5]);
        Assert.Contains("✗ expectation not met", output, StringComparison.Ordinal);
        Assert.Contains("expectations: 2 met, 0 not met, 0 not judged", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public void Json_prints_only_an_array_with_one_object_per_cell_whose_hash_is_that_of_the_same_run()
    {
        var (exit, output, error) = CliRunner.Run("matrix", SeedEmail, HandlerInTime, "--policies", "mainline", "--seed", "5", "--json");
        Assert.True(exit == 0, error + output);
        using var doc = JsonDocument.Parse(output);
        var cells = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, cells.Count);

        Assert.Equal("seed-email", cells[0].GetProperty("topology").GetString());
        Assert.Equal(SeedEmail, cells[0].GetProperty("file").GetString());
        Assert.Equal("mainline", cells[0].GetProperty("policy").GetString());
        Assert.Equal(5UL, cells[0].GetProperty("seed").GetUInt64());
        Assert.Equal("late", cells[0].GetProperty("verdict").GetString());
        Assert.Equal(0, cells[0].GetProperty("slackMs").GetDouble());
        Assert.Equal(1, cells[0].GetProperty("breaks").GetInt32());
        Assert.Equal("quiescence", cells[0].GetProperty("endedBy").GetString());
        var expectation = cells[0].GetProperty("expectation");
        Assert.True(expectation.GetProperty("applicable").GetBoolean());
        Assert.True(expectation.GetProperty("met").GetBoolean());
        Assert.Equal(0, expectation.GetProperty("differences").GetArrayLength());

        Assert.Equal("handler-in-time", cells[1].GetProperty("topology").GetString());
        Assert.Equal("clean", cells[1].GetProperty("verdict").GetString());
        Assert.Equal(44980, cells[1].GetProperty("slackMs").GetDouble());

        // The cell is the run: `run` with the same topology, policy and seed gives the same trace.
        foreach (var (cell, path) in new[] { (cells[0], SeedEmail), (cells[1], HandlerInTime) })
        {
            var run = CliRunner.Run("run", path, "--policy", "mainline", "--seed", "5", "--json");
            using var single = JsonDocument.Parse(run.Out);
            Assert.Equal(single.RootElement.GetProperty("traceSha256").GetString(), cell.GetProperty("traceSha256").GetString());
        }
    }

    [Fact]
    public void A_cell_whose_expectation_fails_is_marked_its_differences_are_listed_and_the_exit_code_is_1()
    {
        using var dir = new TempDir();
        var wrong = dir.Write("wrong.conf", WrongExpectation());

        var (exit, output, _) = CliRunner.Run("matrix", wrong, HandlerInTime, "--policies", "mainline");
        Assert.Equal(1, exit);
        Assert.Contains("wrong            clean 44980 ✗", output, StringComparison.Ordinal);
        Assert.Contains("handler-in-time  clean 44980 ✓", output, StringComparison.Ordinal);
        Assert.Contains("\n  wrong × mainline: verdict: expected late, got clean\n", output, StringComparison.Ordinal);
        Assert.Contains("expectations: 1 met, 1 not met, 0 not judged", output, StringComparison.Ordinal);

        var json = CliRunner.Run("matrix", wrong, "--policies", "mainline", "--json");
        Assert.Equal(1, json.Exit);
        using var doc = JsonDocument.Parse(json.Out);
        var x = doc.RootElement[0].GetProperty("expectation");
        Assert.True(x.GetProperty("applicable").GetBoolean());
        Assert.False(x.GetProperty("met").GetBoolean());
        Assert.Equal("verdict: expected late, got clean", Assert.Single(x.GetProperty("differences").EnumerateArray()).GetString());
    }

    [Fact]
    public void A_cell_with_no_applicable_expectation_is_reported_not_judged_and_does_not_fail_the_matrix()
    {
        using var dir = new TempDir();
        var bare = dir.Write("bare.conf", NoExpectation());

        var (exit, output, error) = CliRunner.Run("matrix", bare, "--policies", "mainline");
        Assert.True(exit == 0, error + output);
        Assert.Contains("\nbare      clean 44980\n", output, StringComparison.Ordinal);
        Assert.Contains("not judged (no expectation for the policy; reported above):\n  bare × mainline\n", output, StringComparison.Ordinal);
        Assert.Contains("expectations: 0 met, 0 not met, 1 not judged", output, StringComparison.Ordinal);

        var json = CliRunner.Run("matrix", bare, "--policies", "mainline", "--json");
        using var doc = JsonDocument.Parse(json.Out);
        var x = doc.RootElement[0].GetProperty("expectation");
        Assert.False(x.GetProperty("applicable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, x.GetProperty("met").ValueKind);
    }

    [Fact]
    public void Markdown_is_a_table_with_the_same_cells_and_two_invocations_give_the_same_bytes()
    {
        var first = CliRunner.Run("matrix", SeedEmail, HandlerInTime, "--policies", "mainline", "--markdown", "--parallel", "1");
        var second = CliRunner.Run("matrix", SeedEmail, HandlerInTime, "--policies", "mainline", "--markdown", "--parallel", "2");
        Assert.Equal(0, first.Exit);
        Assert.Equal(first.Out, second.Out);
        Assert.StartsWith(
            "| topology        | mainline      |\n" +
            "| --------------- | ------------- |\n" +
            "| seed-email      | late 0 ✓      |\n" +
            "| handler-in-time | clean 44980 ✓ |\n" +
            "\n",
            first.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(CliRunner.RepoRoot, first.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_and_their_order_do_not_depend_on_how_many_cells_run_at_once()
    {
        var all = Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "configs", "topologies"), "*.conf").Order(StringComparer.Ordinal).ToArray();
        var sequential = CliRunner.Run(["matrix", .. all, "--policies", "mainline", "--json", "--parallel", "1"]);
        var parallel = CliRunner.Run(["matrix", .. all, "--policies", "mainline", "--json", "--parallel", "3"]);
        Assert.True(sequential.Exit == 0, sequential.Err + sequential.Out);
        Assert.Equal(sequential.Out, parallel.Out);
        using var doc = JsonDocument.Parse(sequential.Out);
        Assert.Equal(all.Select(Path.GetFileNameWithoutExtension), doc.RootElement.EnumerateArray().Select(c => c.GetProperty("topology").GetString()));
    }

    [Fact]
    public void Without_policies_the_columns_are_every_implemented_policy_in_the_order_of_DESIGN_section_3()
    {
        var (exit, output, error) = CliRunner.Run("matrix", HandlerInTime, "--json");
        Assert.True(exit is 0 or 1, error + output);
        using var doc = JsonDocument.Parse(output);
        var expected = Policies.Known.Where(Policies.Implemented.Contains).ToList();
        Assert.Equal(expected, doc.RootElement.EnumerateArray().Select(c => c.GetProperty("policy").GetString()));
    }

    [Fact]
    public void Policies_given_on_the_command_line_are_the_columns_in_the_order_given()
    {
        var reversed = Policies.Implemented.Reverse().ToList();
        var (exit, output, error) = CliRunner.Run("matrix", HandlerInTime, "--policies", string.Join(",", reversed), "--json");
        Assert.True(exit is 0 or 1, error + output);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(reversed, doc.RootElement.EnumerateArray().Select(c => c.GetProperty("policy").GetString()));
    }

    [Fact]
    public void Without_a_topology_the_matrix_has_one_row_the_built_in_seed_scenario()
    {
        var (exit, output, error) = CliRunner.Run("matrix", "--policies", "mainline", "--json");
        Assert.True(exit == 0, error + output);
        using var doc = JsonDocument.Parse(output);
        var cell = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("seed-email", cell.GetProperty("topology").GetString());
        Assert.Equal("late", cell.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Two_files_with_the_same_topology_name_are_labelled_by_file()
    {
        using var dir = new TempDir();
        var copy = dir.Write("handler-in-time.conf", File.ReadAllText(HandlerInTime));
        var (exit, output, error) = CliRunner.Run("matrix", HandlerInTime, copy, HandlerInTime, "--policies", "mainline", "--json");
        Assert.True(exit == 0, error + output);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal([HandlerInTime, copy], doc.RootElement.EnumerateArray().Select(c => c.GetProperty("topology").GetString()));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("mainline,nonsense")]
    public void An_unknown_policy_is_bad_input_with_exit_code_2_naming_it(string list)
    {
        var (exit, output, error) = CliRunner.Run("matrix", HandlerInTime, "--policies", list);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("unknown policy 'nonsense'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_topology_file_is_bad_input_with_exit_code_2_and_no_run()
    {
        var (exit, output, error) = CliRunner.Run("matrix", HandlerInTime, "/no/such/topology.conf", "--json");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("leaseactors: /no/such/topology.conf: cannot read the file", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_topology_file_is_reported_with_the_parser_message_and_exit_code_2()
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.conf", "processes { A.program = [ { frobnicate = 1 } ] }\n");
        var parserMessage = Assert.Throws<Topologies.TopologyException>(() => Topologies.TopologyParser.ParseFile(bad)).Message;

        var (exit, output, error) = CliRunner.Run("matrix", bad);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("leaseactors: " + parserMessage, error.TrimEnd('\n', '\r'));
    }

    [Theory]
    [InlineData("--json", "--markdown")]
    [InlineData("--parallel", "0")]
    [InlineData("--policies", "mainline,,mainline")]
    public void Contradictory_or_empty_options_are_usage_errors_with_exit_code_2(string option, string value)
    {
        var (exit, output, error) = CliRunner.Run("matrix", option, value);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("leaseactors: ", error, StringComparison.Ordinal);
    }

    // ParsePolicies with a made-up catalogue, so ordering and validation are tested whatever the library implements.
    private static readonly string[] Known = ["a", "b", "c", "d"];

    private static string RequireImplemented(IReadOnlyList<string> implemented, string name) =>
        implemented.Contains(name) ? name : throw new ArgumentException($"policy '{name}' is not implemented");

    [Fact]
    public void Default_policies_follow_the_known_order_not_the_implemented_order()
    {
        string[] implemented = ["c", "a"];
        Assert.Equal(["a", "c"], MatrixCommand.ParsePolicies(null, n => RequireImplemented(implemented, n), Known, implemented));
    }

    [Fact]
    public void Given_policies_keep_their_order_lose_repeats_and_surrounding_spaces()
    {
        string[] implemented = ["a", "b", "c"];
        Assert.Equal(["c", "a", "b"], MatrixCommand.ParsePolicies("c, a,c ,b", n => RequireImplemented(implemented, n), Known, implemented));
    }

    [Fact]
    public void A_given_policy_that_is_refused_stops_the_parse_with_its_message()
    {
        string[] implemented = ["a"];
        var ex = Assert.Throws<ArgumentException>(() => MatrixCommand.ParsePolicies("a,d", n => RequireImplemented(implemented, n), Known, implemented));
        Assert.Equal("policy 'd' is not implemented", ex.Message);
        Assert.Throws<ArgumentException>(() => MatrixCommand.ParsePolicies("a,", n => n, Known, implemented));
    }

    // Rendering of made-up cells: several policies, every kind of mark, a name that Markdown would misread.
    private static MatrixCell Cell(string topology, string policy, Verdict verdict, double? slack, bool? met) =>
        new(topology, topology + ".conf", policy, 0, verdict, slack, slack is null ? 0 : 1, "quiescence", "00",
            met is null ? ExpectationResult.None : new ExpectationResult(true, met, met == false ? ["verdict: expected clean, got " + verdict.Name()] : []));

    [Fact]
    public void Markdown_keeps_column_order_marks_each_kind_of_cell_and_escapes_names()
    {
        MatrixCell[] cells =
        [
            Cell("rdma|seed", "rfc-v2", Verdict.Refused, null, true),
            Cell("rdma|seed", "mainline", Verdict.Late, -45000, false),
            Cell("rdma|seed", "odp", Verdict.Clean, 44995, null),
        ];
        var markdown = MatrixTable.Markdown(cells);
        Assert.StartsWith(
            "| topology   | rfc-v2    | mainline      | odp         |\n" +
            "| ---------- | --------- | ------------- | ----------- |\n" +
            "| rdma\\|seed | refused ✓ | late -45000 ✗ | clean 44995 |\n",
            markdown, StringComparison.Ordinal);
        Assert.EndsWith("\n- rdma\\|seed × mainline: verdict: expected clean, got late\n", markdown, StringComparison.Ordinal);
        Assert.Equal(markdown, MatrixTable.Markdown([.. cells]));
    }

    [Fact]
    public void The_worst_slack_is_the_minimum_known_one_and_null_when_none_is_known()
    {
        static BreakRecord Break(double? slack) => new("/srv/data", 1, true, 0, 45000, [], [], [], null, null, null, slack);
        Assert.Equal(-5, MatrixCell.WorstSlack([Break(30), Break(null), Break(-5), Break(0)]));
        Assert.Null(MatrixCell.WorstSlack([Break(null)]));
        Assert.Null(MatrixCell.WorstSlack([]));
    }

    [Fact]
    public void Slack_prints_without_a_negative_zero_and_with_at_most_three_decimals()
    {
        Assert.Equal("0", MatrixTable.Ms(-0.0));
        Assert.Equal("-44999.5", MatrixTable.Ms(-44999.5));
        Assert.Equal("0.001", MatrixTable.Ms(0.0012));
    }

    private sealed class TempDir : IDisposable
    {
        private readonly string root = Directory.CreateTempSubdirectory("leaseactors-matrix-").FullName;

        public string Write(string name, string text)
        {
            var path = Path.Combine(root, name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose() => Directory.Delete(root, recursive: true);
    }
}
