using System.Text.Json;

namespace StorageServer.Tests;

/// <summary>
/// Runs the sample in-process, as CI runs the samples: its exit code, its report, and the verdict each policy gives this
/// application, with the reason from docs/policies.md for each one.
/// </summary>
public sealed class StorageServerAppTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = StorageServerApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static Dictionary<string, JsonElement> Policies(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("policies").EnumerateArray().ToDictionary(p => p.GetProperty("policy").GetString()!, p => p.Clone());
    }

    private static string[] Strings(JsonElement policy, string field) => [.. policy.GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void Default_arguments_run_every_policy_and_exit_0_with_a_verdict_and_a_meaning_per_policy()
    {
        var (exit, output, errors) = Run();

        Assert.True(exit == 0, errors);
        Assert.Contains("8 clients", output, StringComparison.Ordinal);
        Assert.Contains("33 runs", output, StringComparison.Ordinal);
        foreach (var policy in LeaseActors.Judging.Policies.Implemented)
        {
            Assert.Contains("\n" + policy + ": ", output, StringComparison.Ordinal);
        }
        Assert.Equal(LeaseActors.Judging.Policies.Implemented.Count, output.Split('\n').Count(l => l.StartsWith("  meaning    ", StringComparison.Ordinal)));
    }

    // The application: the server takes the layout lease and forwards a break to its clients (SIGUSR1), waiting for their
    // acknowledgements before it unlocks; the clients, which hold the passed contexts, take no lease of their own.
    [Theory]
    [InlineData("mainline", "refused")]          // ibv_reg_mr of FS-DAX fails EOPNOTSUPP
    [InlineData("rfc-v1", "clean")]              // the server is told, forwards, and unlocks once every client has deregistered
    [InlineData("rfc-v2", "refused")]            // the exclusive lease is never broken: the truncate fails ETXTBSY
    [InlineData("lease-per-holder", "violation")] // clients hold passed pins without a lease of their own (H7)
    [InlineData("mr-holds-lease", "late")]       // clients are told and tear down, the server is not: its lease times out
    [InlineData("deny-pass", "refused")]         // sendmsg of a context with regions fails EBUSY
    [InlineData("block-close", "violation")]     // as lease-per-holder
    [InlineData("revoke-kill", "clean")]         // answered in time: nobody is killed
    [InlineData("odp", "clean")]                 // nothing is pinned
    [InlineData("wait-forever", "hang")]         // no lease, nobody is told, the truncate waits for pins forever
    [InlineData("trust-lease", "clean")]         // the lease goes only after the clients' regions
    public void Each_policy_gives_the_careful_server_the_verdict_docs_policies_reasons_predict(string policy, string verdict)
    {
        var (exit, output, errors) = Run("--policy", policy, "--clients", "3", "--truncates", "2", "--seeds", "2", "--json");

        Assert.True(exit == 0, errors);
        var result = Policies(output)[policy];
        Assert.Equal(verdict, result.GetProperty("worst").GetString());
        Assert.Equal(2, result.GetProperty("verdicts").GetProperty(verdict).GetInt32());
    }

    [Fact]
    public void The_break_signal_goes_to_the_lease_taker_except_under_mr_holds_lease_where_it_goes_to_the_context_holders()
    {
        var (exit, output, errors) = Run("--policy", "rfc-v1,mr-holds-lease,wait-forever", "--clients", "3", "--truncates", "1", "--seeds", "1", "--json");

        Assert.True(exit == 0, errors);
        var policies = Policies(output);
        Assert.Equal(["server"], Strings(policies["rfc-v1"], "notified"));
        Assert.Equal(["client-0", "client-1", "client-2"], Strings(policies["mr-holds-lease"], "notified"));
        Assert.Empty(Strings(policies["wait-forever"], "notified"));
        // Under rfc-v1 the clients deregistered their own regions (the server forwarded the break to them).
        Assert.Equal(3, policies["rfc-v1"].GetProperty("tornDownBy").EnumerateObject().Count(p => p.Name.EndsWith("(ibv_dereg_mr)", StringComparison.Ordinal)));
        Assert.Equal(1, policies["wait-forever"].GetProperty("truncates").GetProperty("still blocked").GetInt32());
    }

    [Fact]
    public void Handlers_slower_than_the_lease_break_time_make_rfc_v1_late_revoke_kill_kill_and_trust_lease_corrupt()
    {
        var (exit, output, errors) = Run("--policy", "rfc-v1,revoke-kill,trust-lease,odp", "--handler-time", "60s", "--clients", "2", "--truncates", "1", "--seeds", "1", "--json");

        Assert.True(exit == 0, errors);
        var policies = Policies(output);
        Assert.Equal("late", policies["rfc-v1"].GetProperty("worst").GetString());
        Assert.Equal("killed", policies["revoke-kill"].GetProperty("worst").GetString());
        Assert.Equal("corruption", policies["trust-lease"].GetProperty("worst").GetString());
        Assert.True(policies["trust-lease"].GetProperty("dmaWritesIntoFreedBlocks").GetInt64() > 0);
        Assert.Equal("clean", policies["odp"].GetProperty("worst").GetString());
        Assert.True(policies["rfc-v1"].GetProperty("worstSlackMs").GetDouble() < 0);
    }

    [Fact]
    public void Clients_that_take_their_own_layout_leases_keep_the_lease_per_holder_rule()
    {
        var (exit, output, errors) = Run("--policy", "lease-per-holder,block-close,mr-holds-lease", "--client-leases", "--clients", "3", "--truncates", "2", "--seeds", "1", "--json");

        Assert.True(exit == 0, errors);
        var policies = Policies(output);
        Assert.Equal("clean", policies["lease-per-holder"].GetProperty("worst").GetString());
        Assert.Equal("clean", policies["block-close"].GetProperty("worst").GetString());
        // The server's own lease is still only ended by its timeout: the regions rely on it, so only their holders are told.
        Assert.Equal("late", policies["mr-holds-lease"].GetProperty("worst").GetString());
    }

    [Fact]
    public void Punch_holes_are_judged_like_truncates()
    {
        var (exit, output, errors) = Run("--policy", "rfc-v1,trust-lease", "--punch-hole", "--handler-time", "60s", "--clients", "2", "--truncates", "2", "--seeds", "1", "--json");

        Assert.True(exit == 0, errors);
        var policies = Policies(output);
        Assert.Equal("late", policies["rfc-v1"].GetProperty("worst").GetString());
        Assert.Equal("corruption", policies["trust-lease"].GetProperty("worst").GetString());
        Assert.Equal("punch-hole", JsonDocument.Parse(output).RootElement.GetProperty("layoutChange").GetString());
    }

    [Fact]
    [Trait("Category", "RealTime")]
    public void Real_time_mode_runs_the_same_topology_through_RealTimeRunner_and_judges_it()
    {
        // A margin of 45 s against handlers of 10 ms: far beyond the real-time mode's timer resolution.
        var (exit, output, errors) = Run("--real-time", "--policy", "rfc-v1", "--clients", "2", "--truncates", "1", "--seeds", "1", "--json");

        Assert.True(exit == 0, errors);
        Assert.Equal("real-time", JsonDocument.Parse(output).RootElement.GetProperty("mode").GetString());
        Assert.Equal("clean", Policies(output)["rfc-v1"].GetProperty("worst").GetString());
    }

    [Theory]
    [InlineData("--clients 0", "--clients must be between 1 and 1000")]
    [InlineData("--seeds 0", "--seeds must be between 1 and 10000")]
    [InlineData("--truncates 0", "--truncates must be between 1 and 100")]
    [InlineData("--interval 5", "--interval expects a duration")]
    [InlineData("--handler-time -1s", "--handler-time expects a duration")]
    [InlineData("--policy nope", "unknown policy 'nope'")]
    [InlineData("--policy rfc-v1,", "empty policy name")]
    [InlineData("--clients many", "many")]
    [InlineData("--frobnicate", "--frobnicate")]
    public void Bad_arguments_exit_2_with_a_message_naming_the_problem(string args, string message)
    {
        var (exit, output, errors) = Run(args.Split(' '));

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(message, errors, StringComparison.Ordinal);
        Assert.Contains("--help", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_option_and_exits_0()
    {
        var (exit, output, _) = Run("--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--clients", "--truncates", "--interval", "--handler-time", "--seeds", "--policy", "--real-time", "--json", "--client-leases", "--punch-hole", "--lease-break-time" })
            Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Option_defaults_are_the_documented_ones()
    {
        var options = new StorageServerOptions();

        Assert.Equal(8, options.Clients);
        Assert.Equal(3, options.Truncates);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.HandlerTime);
        Assert.Equal(TimeSpan.FromSeconds(45), options.LeaseBreakTime);
        Assert.Equal(3, options.Seeds);
        Assert.False(options.ClientLeases);
        Assert.False(options.PunchHole);
        Assert.False(options.RealTime);
        Assert.False(options.Json);
        Assert.Equal(LeaseActors.Judging.Policies.Implemented, options.Policies);
    }
}
