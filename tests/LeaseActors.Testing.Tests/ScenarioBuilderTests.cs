using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Topologies;

namespace LeaseActors.Testing.Tests;

public sealed class ScenarioBuilderTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void A_simulated_run_is_judged_and_answers_queries_on_its_trace()
    {
        var run = Scenarios.HandlerReleases(TimeSpan.FromMilliseconds(20)).Simulate(seed: 3, fixture);

        Assert.Equal(3UL, run.Seed);
        Assert.Equal(Verdict.Clean, run.Verdict);
        run.AssertVerdict(Verdict.Clean)
            .AssertStepSucceeded("A", "released")
            .AssertStepSucceeded("B", "breaker")
            .AssertSignals("A", "SIGIO")
            .AssertSignals("B")
            .AssertNoFindings();
        Assert.Equal(TimeSpan.FromMilliseconds(20), run.Trace.Step("B", "breaker").Took);
        Assert.Equal("handler-releases", run.Report.Topology);
        Assert.Equal("mainline", run.Report.Policy);
    }

    [Fact]
    public void The_same_seed_gives_the_same_trace_and_a_fixture_of_its_own_gives_the_same_run()
    {
        var builder = Scenarios.HandlerReleases(TimeSpan.FromSeconds(1)).Chaos(Scenarios.SlowHandlers);
        var a = builder.Simulate(7, fixture);
        var b = builder.Simulate(7);
        Assert.Equal(a.Report.TraceSha256, b.Report.TraceSha256);
        Assert.NotEqual(a.Report.TraceSha256, builder.Simulate(8, fixture).Report.TraceSha256);
    }

    [Fact]
    public void A_failed_assertion_names_the_seed_the_replay_command_and_the_topology()
    {
        // Lease-break time 2 s and a handler that takes 10 s: the break times out, the verdict is late.
        var run = Scenarios.HandlerReleases(TimeSpan.FromSeconds(10)).LeaseBreakTime(TimeSpan.FromSeconds(2)).Simulate(5, fixture);

        var failure = Assert.Throws<LeaseActorsAssertionException>(() => run.AssertVerdict(Verdict.Clean));

        Assert.Equal(5UL, failure.Seed);
        Assert.StartsWith("expected verdict clean, got late", failure.Message, StringComparison.Ordinal);
        Assert.Contains("seed 5, policy mainline, verdict late", failure.Message, StringComparison.Ordinal);
        Assert.Contains("leaseactors replay handler-releases.conf --seed 5", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sysctl { lease-break-time = 2000ms", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_assertions_say_what_the_step_returned_or_that_it_never_ran()
    {
        var run = Scenarios.HandlerReleases(TimeSpan.Zero).Simulate(0, fixture);

        var wrongErrno = Assert.Throws<LeaseActorsAssertionException>(() => run.AssertStepFailed("B", "breaker", Errno.EAGAIN));
        Assert.StartsWith("expected B.breaker to fail with EAGAIN, it returned 3", wrongErrno.Message, StringComparison.Ordinal);
        var never = Assert.Throws<LeaseActorsAssertionException>(() => run.AssertStepSucceeded("B", "no-such-step"));
        Assert.StartsWith("B.no-such-step never ran", never.Message, StringComparison.Ordinal);
        run.AssertStepReturned("A", "lease", 0);
    }

    [Fact]
    public void A_blocked_step_is_reported_as_still_blocked()
    {
        // SIGIO ignored and a break that never times out: B's open waits until the horizon.
        var run = Scenarios.HandlerReleases(TimeSpan.Zero).Ignore("A", Signals.Sig.SIGIO).LeaseBreakTime(TimeSpan.Zero)
            .Horizon(TimeSpan.FromSeconds(30)).Simulate(0, fixture);

        run.AssertStillBlocked("B", "breaker").AssertVerdict(Verdict.Hang);
        var failure = Assert.Throws<LeaseActorsAssertionException>(() => run.AssertStepSucceeded("B", "breaker"));
        Assert.StartsWith("B.breaker never returned: still blocked at the end", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_topology_text_replays_the_same_run_with_the_cli_runner()
    {
        var builder = Scenarios.HandlerReleases(TimeSpan.FromSeconds(1)).Chaos(Scenarios.SlowHandlers).LeaseBreakTime(TimeSpan.FromSeconds(20));
        foreach (var seed in new ulong[] { 0, 1, 2, 11 })
        {
            var run = builder.Simulate(seed, fixture);
            var parsed = TopologyParser.Parse(run.TopologyText, "handler-releases.conf");
            var replayed = TopologyRunner.Run(fixture.Driver, parsed, null, seed);
            Assert.Equal(run.Report.TraceSha256, replayed.TraceSha256);
            Assert.Equal(run.Verdict, replayed.Verdict);
        }
    }

    [Fact]
    public void A_policy_of_your_own_runs_end_to_end_and_is_named_in_the_report()
    {
        var mine = KernelPolicies.Mainline with { Name = "mainline-copy", Summary = "mainline under another name", Citation = "this test" };
        var run = Scenarios.HandlerReleases(TimeSpan.Zero).Policy(mine).Simulate(0, fixture);

        Assert.Equal("mainline-copy", run.Report.Policy);
        Assert.Same(mine, run.Policy);
        Assert.Contains("policy 'mainline-copy' is not built in", run.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("is not built in", Scenarios.HandlerReleases(TimeSpan.Zero).Policy("rfc-v1").Simulate(0, fixture).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_built_in_policy_name_is_refused_with_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => new ScenarioBuilder().Policy("no-such-policy"));
        Assert.Contains("mainline", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handler_for_a_process_not_yet_added_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ScenarioBuilder().Handler("A", Signals.Sig.SIGIO, TimeSpan.Zero));
        Assert.Contains("no process 'A' yet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_builder_defaults_are_mainline_one_hour_no_chaos_and_the_name_scenario()
    {
        var topology = new ScenarioBuilder().ToTopology();
        Assert.Equal("scenario", topology.Name);
        Assert.Equal("mainline", topology.Policy);
        Assert.Equal(TimeSpan.FromHours(1), topology.Horizon);
        Assert.True(topology.ChaosPlan.IsEmpty);
        Assert.Equal(TimeSpan.FromSeconds(45), topology.Scenario.Options.LeaseBreakTime);
    }

    [Fact]
    public void A_step_the_format_cannot_say_leaves_a_reason_instead_of_a_topology()
    {
        var run = new ScenarioBuilder().File("/f").Process("P", S.Do(new Processes.Close(3))).Simulate(0, fixture);
        Assert.StartsWith("(no topology file: fd 3 is a number", run.TopologyText, StringComparison.Ordinal);
    }
}
