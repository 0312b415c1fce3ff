using LeaseActors.Judging;
using LeaseActors.Tests.Rdma;

namespace LeaseActors.Tests.PolicyBehaviour; // not .Policies: that would hide LeaseActors.Judging.Policies in this assembly

/// <summary>What sets each policy of DESIGN.md §3 apart, each shown by one small topology.</summary>
public sealed class PolicyBehaviourSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private const string Data = "/mnt/pmem/data";

    [Theory]
    [InlineData(true, "EBUSY")]
    [InlineData(false, null)]
    public void Under_deny_pass_sending_a_verbs_context_that_has_regions_fails_EBUSY_and_one_without_is_passed(bool withRegion, string? errno)
    {
        var register = withRegion ? "{ reg-mr = m, context = ctx, as = mr }" : "{ label = no-region }";
        var report = fixture.RunText(RdmaSupport.DaxFile + $$"""

            sockets.ab = [A, B]
            processes {
              A.program = [
                { open = data, flags = [O_RDWR], as = f }
                { layout-lease = f }
                { mmap = f, as = m }
                { verbs-open = true, as = ctx }
                {{register}}
                { sendmsg = ab, fds = [ctx], label = passed }
                { sleep = 1m }
              ]
              B.program = [ { recvmsg = ab, fds = [ctx], label = received } ]
            }
            """, "deny-pass");

        Assert.Equal(errno, report.Step("A", "passed").Errno);
        Assert.Equal(withRegion ? Verdict.Refused : Verdict.Clean, report.Verdict);
        Assert.Equal(withRegion, report.Refusals.Any(r => r.Contains("sendmsg", StringComparison.Ordinal)));
    }

    [Fact]
    public void Under_block_close_the_last_close_of_the_leased_description_blocks_while_pins_remain_and_returns_when_they_go()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            processes.A.program = [
              { open = data, flags = [O_RDWR], as = f }
              { layout-lease = f }
              { mmap = f, as = m }
              { verbs-open = true, as = ctx }
              { reg-mr = m, context = ctx, as = mr, label = registered }
              { munmap = m }
              { thread = t, program = [ { sleep = 90s }, { dereg-mr = mr, context = ctx, label = deregistered } ] }
              { close = f, label = closed }
            ]
            """, "block-close");

        var closed = report.Step("A", "closed");
        Assert.Null(closed.Errno);
        Assert.Equal(TimeSpan.FromSeconds(90), closed.Took);
        Assert.Equal(report.Step("A", "deregistered").At, closed.At);
        Assert.Single(report.Events("close.blocked"));
        Assert.Single(report.Events("close.unblocked"));
    }

    [Fact]
    public void Under_lease_per_holder_the_same_close_does_not_block()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            processes.A.program = [
              { open = data, flags = [O_RDWR], as = f }
              { layout-lease = f }
              { mmap = f, as = m }
              { verbs-open = true, as = ctx }
              { reg-mr = m, context = ctx, as = mr }
              { munmap = m }
              { close = f, label = closed }
            ]
            """, "lease-per-holder");

        Assert.Equal(TimeSpan.Zero, report.Step("A", "closed").Took);
        Assert.Empty(report.Events("close.blocked"));
    }

    [Fact]
    public void Under_revoke_kill_the_lease_owner_is_killed_at_the_deadline_and_the_verdict_is_killed()
    {
        var report = fixture.RunSample("rdma-handler-too-slow.conf", "revoke-kill");

        Assert.Equal(Verdict.Killed, report.Verdict);
        var kill = Assert.Single(report.Kills);
        Assert.StartsWith("A was killed", kill, StringComparison.Ordinal);
        Assert.Equal(["SIGIO", "SIGKILL"], report.SignalsOf("A"));
        var brk = Assert.Single(report.Breaks);
        var killedAt = Assert.Single(report.Events("policy.kill")).Time.TotalMilliseconds;
        Assert.Equal(brk.DeadlineMs, killedAt);
        Assert.Equal(TimeSpan.FromSeconds(45), report.Step("B", "truncate").Took);
        Assert.All(report.Regions, r => Assert.Null(r.FreedUnderMs));
    }

    private const string PassedContext = RdmaSupport.DaxFile + """

        sysctl.lease-break-time = 45s
        sockets.ab = [A, B]
        processes {
          A.program = [
            { open = data, flags = [O_RDWR], as = f }
            { layout-lease = f }
            { mmap = f, as = m }
            { verbs-open = true, as = ctx }
            { reg-mr = m, context = ctx, as = mr, label = registered }
            { sendmsg = ab, fds = [ctx] }
            { close = ctx, label = handed-over }
            { sleep = 10m }
          ]
          A.handlers.SIGIO = {}
          B.program = [ { recvmsg = ab, fds = [ctx] }, { sleep = 10m } ]
          B.handlers.SIGIO = { takes = 5ms, steps = [ { dereg-mr = mr, context = ctx, label = deregistered } ] }
          C.program = [ { wait-for = A.handed-over }, { truncate = data, length = 0, label = truncate } ]
        }
        """;

    [Fact]
    public void Under_mr_holds_lease_the_break_signal_goes_to_the_holder_of_the_verbs_context_not_to_f_owner()
    {
        // A lets go of the data fd too, so only the region keeps the lease alive (DESIGN.md §3, last column).
        var text = PassedContext.Replace("{ close = ctx, label = handed-over }", "{ close = ctx }\n    { munmap = m }\n    { close = f, label = handed-over }", StringComparison.Ordinal);
        Assert.NotEqual(PassedContext, text);
        var report = fixture.RunText(text, "mr-holds-lease");

        Assert.Equal(["SIGIO"], report.SignalsOf("B"));
        Assert.Empty(report.SignalsOf("A"));
        var brk = Assert.Single(report.Breaks);
        Assert.Equal(["B"], brk.Notified.ToArray());
        var truncate = report.Step("C", "truncate");
        Assert.Null(truncate.Errno);
        Assert.Equal(TimeSpan.FromMilliseconds(5), truncate.Took);
        Assert.Equal(Verdict.Clean, report.Verdict);
    }

    [Fact]
    public void Under_rfc_v1_the_same_break_signal_goes_to_f_owner_who_no_longer_holds_the_region()
    {
        var report = fixture.RunText(PassedContext, "rfc-v1");

        Assert.Equal(["SIGIO"], report.SignalsOf("A"));
        Assert.Empty(report.SignalsOf("B"));
        Assert.Equal("ETXTBSY", report.Step("C", "truncate").Errno);
    }

    private const string SlowOwner = RdmaSupport.DaxFile + """

        sysctl.lease-break-time = 45s
        files.other { path = /mnt/pmem/other, size = 0, dax = true }
        processes {
          A.program = [
            { open = data, flags = [O_RDWR], as = f }
            { layout-lease = f }
            { mmap = f, as = m }
            { verbs-open = true, as = ctx }
            { reg-mr = m, context = ctx, as = mr, dma-rate = 500, label = registered }
            { sleep = 10m }
            { dereg-mr = mr, label = deregistered }
          ]
          A.handlers.SIGIO = {}
          B.program = [
            { wait-for = A.registered }
            { sleep = 1s }
            { truncate = data, length = 0, label = truncate }
            { open = other, flags = [O_RDWR], as = o }
            { write = o, bytes = 1MiB, label = grown }
          ]
        }
        """;

    [Fact]
    public void Under_trust_lease_blocks_are_freed_under_a_live_region_and_its_DMA_into_them_is_counted_over_the_interval()
    {
        var report = fixture.RunText(SlowOwner, "trust-lease");

        Assert.Equal(Verdict.Corruption, report.Verdict);
        var truncate = report.Step("B", "truncate");
        Assert.Null(truncate.Errno);
        Assert.Equal(TimeSpan.FromSeconds(45), truncate.Took);
        var region = Assert.Single(report.Regions);
        var registered = report.Step("A", "registered").At.TotalMilliseconds;
        var truncateStart = (truncate.At - truncate.Took).TotalMilliseconds;
        Assert.Equal(registered, region.RegisteredMs);
        Assert.Equal(truncateStart + 45_000, region.FreedUnderMs);
        Assert.Equal(registered + 600_000, region.TornDownMs);
        Assert.Equal(256, region.Blocks);
        var interval = region.TornDownMs!.Value - region.FreedUnderMs!.Value;
        Assert.Equal((long)Math.Round(500 * interval / 1000), region.DmaWritesIntoFreedBlocks);
        Assert.Equal(500L * 600, region.DmaWrites);
    }

    [Fact]
    public void Under_odp_the_truncate_proceeds_at_once_the_region_is_invalidated_and_nothing_is_corrupted()
    {
        var report = fixture.RunText(SlowOwner, "odp");

        var truncate = report.Step("B", "truncate");
        Assert.Null(truncate.Errno);
        Assert.Equal(TimeSpan.Zero, truncate.Took);
        Assert.Single(report.Events("region.invalidated"));
        Assert.Equal(256, report.BlocksOf("blocks.freed", Data).Length);
        var region = Assert.Single(report.Regions);
        Assert.True(region.Odp);
        Assert.Null(region.FreedUnderMs);
        Assert.Equal(0, region.DmaWritesIntoFreedBlocks);
        Assert.Equal(Verdict.Clean, report.Verdict);
    }

    [Fact]
    public void Under_lease_per_holder_a_process_holding_a_passed_context_without_its_own_lease_is_a_violation_naming_the_rule()
    {
        var report = fixture.RunSample("rdma-seed.conf", "lease-per-holder");

        Assert.Equal(Verdict.Violation, report.Verdict);
        Assert.Contains(report.Violations, v => v.StartsWith("lease-per-holder: B holds the pins of region mr", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Id == "H7" && f.Process == "B");
    }

    [Fact]
    public void Under_rfc_v1_the_same_passed_context_is_a_finding_but_not_a_violation()
    {
        var report = fixture.RunSample("rdma-seed.conf", "rfc-v1");

        Assert.Empty(report.Violations);
        Assert.Contains(report.Findings, f => f.Id == "H7" && f.Process == "B");
    }
}
