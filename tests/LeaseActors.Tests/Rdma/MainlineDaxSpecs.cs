using LeaseActors.Judging;
using LeaseActors.Kernel;

namespace LeaseActors.Tests.Rdma;

/// <summary>
/// SEMANTICS.md R43 and R44: today's kernel refuses long-term pins of FS-DAX memory and has no layout leases; its DAX
/// truncate path (dax_layout_busy_page) waits for busy pages without a time limit, interruptibly. R44 is exercised
/// under wait-forever, the policy that allows the pins mainline refuses and keeps mainline's wait.
/// </summary>
public sealed class MainlineDaxSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private const string RegisterOnDax = RdmaSupport.DaxFile + """

        processes.A.program = [
          { open = data, flags = [O_RDWR], as = f }
          { fcntl = F_SETLEASE, fd = f, arg = F_LAYOUT, label = setlease-layout }
          { layout-lease = f, label = layout-lease }
          { mmap = f, as = m }
          { verbs-open = true, as = ctx }
          { reg-mr = m, context = ctx, as = mr, label = registered }
        ]
        """;

    [Fact]
    public void Under_mainline_registering_a_region_over_an_FS_DAX_mapping_fails_EOPNOTSUPP_and_the_run_is_refused()
    {
        var report = fixture.RunText(RegisterOnDax, "mainline");

        Assert.Equal("EOPNOTSUPP", report.Step("A", "registered").Errno);
        Assert.Equal(Verdict.Refused, report.Verdict);
        Assert.Contains(report.Refusals, r => r.Contains("EOPNOTSUPP", StringComparison.Ordinal) && r.StartsWith("A:", StringComparison.Ordinal));
        Assert.Empty(report.Events("region.registered"));
    }

    [Fact]
    public void Under_mainline_F_SETLEASE_F_LAYOUT_and_the_neutral_layout_lease_step_both_fail_EINVAL()
    {
        var report = fixture.RunText(RegisterOnDax, "mainline");

        Assert.Equal("EINVAL", report.Step("A", "setlease-layout").Errno);
        Assert.Equal("EINVAL", report.Step("A", "layout-lease").Errno);
        Assert.Empty(report.Events("lease.added"));
    }

    public static TheoryData<string> PoliciesButOdp()
    {
        var data = new TheoryData<string>();
        foreach (var p in Policies.Implemented.Where(p => p != "odp")) data.Add(p);
        return data;
    }

    private const string RegisterOnPageCache = """
        files.plain { path = /srv/plain, size = 64KiB }
        processes.A.program = [
          { open = plain, flags = [O_RDWR], as = f }
          { layout-lease = f }
          { mmap = f, as = m }
          { verbs-open = true, as = ctx }
          { reg-mr = m, context = ctx, as = mr, label = registered }
        ]
        """;

    [Theory]
    [MemberData(nameof(PoliciesButOdp))]
    public void A_long_term_pin_of_a_shared_mapping_of_a_non_DAX_file_fails_EFAULT(string policy)
    {
        var report = fixture.RunText(RegisterOnPageCache, policy);

        Assert.Equal("EFAULT", report.Step("A", "registered").Errno);
        Assert.Equal(Verdict.Refused, report.Verdict);
    }

    [Fact]
    public void Under_odp_a_region_over_a_non_DAX_file_registers_because_it_pins_nothing()
    {
        var report = fixture.RunText(RegisterOnPageCache, "odp");

        Assert.Null(report.Step("A", "registered").Errno);
        Assert.Equal(Verdict.Clean, report.Verdict);
    }

    [Fact]
    public void Mainline_documents_R44_a_layout_change_over_pinned_blocks_waits()
    {
        Assert.Equal(PinnedLayoutChange.Wait, KernelPolicies.Mainline.OnPinned);
        Assert.Equal(PinnedLayoutChange.Wait, KernelPolicies.WaitForever.OnPinned);
        Assert.Equal(PinRule.Refuse, KernelPolicies.Mainline.Pin);
        Assert.Equal(LayoutLeaseMapping.Unsupported, KernelPolicies.Mainline.LayoutLease);
    }

    private const string PinnedForTenMinutes = RdmaSupport.DaxFile + """

        sysctl.lease-break-time = 45s
        processes {
          A.program = [
            { open = data, flags = [O_RDWR], as = f }
            { mmap = f, as = m }
            { verbs-open = true, as = ctx }
            { reg-mr = m, context = ctx, as = mr, label = registered }
            { sleep = 10m }
            { dereg-mr = mr, label = deregistered }
            { sleep = 1m }
          ]
          B.program = [
            { wait-for = A.registered }
            { truncate = data, length = 0, label = truncate }
          ]
        }
        """;

    [Fact]
    public void The_DAX_truncate_waits_without_a_time_limit_for_pins_and_returns_when_the_region_is_deregistered()
    {
        var report = fixture.RunText(PinnedForTenMinutes, "wait-forever");

        var truncate = report.Step("B", "truncate");
        Assert.Null(truncate.Errno);
        Assert.Equal(report.Step("A", "deregistered").At, truncate.At);
        Assert.Equal(TimeSpan.FromMinutes(10), truncate.Took);
        Assert.Equal(Verdict.Late, report.Verdict);
        var change = Assert.Single(report.LayoutChanges);
        Assert.Equal("truncate", change.Op);
        Assert.Equal(change.StartMs + 45_000, change.DeadlineMs);
        Assert.Equal(change.StartMs + 600_000, change.DoneMs);
        Assert.StartsWith("pins of mr", change.WaitedFor, StringComparison.Ordinal);
        Assert.Empty(report.Regions.Where(r => r.FreedUnderMs is not null));
    }

    [Theory]
    [InlineData(false, "EINTR")]
    [InlineData(true, null)]
    public void The_wait_for_pins_is_interruptible_a_handler_without_SA_RESTART_makes_the_truncate_return_EINTR(bool restart, string? errno)
    {
        var text = PinnedForTenMinutes.Replace("  B.program = [",
            "  B.handlers.SIGUSR1 = { restart = " + (restart ? "true" : "false") + " }\n"
            + "  C.program = [ { wait-for = A.registered }, { sleep = 1s }, { kill = B, signal = SIGUSR1 } ]\n"
            + "  B.program = [", StringComparison.Ordinal);
        Assert.Contains("C.program", text, StringComparison.Ordinal);

        var report = fixture.RunText(text, "wait-forever");

        var truncate = report.Step("B", "truncate");
        Assert.Equal(errno, truncate.Errno);
        Assert.Equal(restart ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(1), truncate.Took);
        Assert.Equal(["SIGUSR1"], report.SignalsOf("B"));
    }
}
