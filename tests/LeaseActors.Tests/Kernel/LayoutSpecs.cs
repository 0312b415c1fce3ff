using LeaseActors.Judging;
using LeaseActors.Tests.Rdma;

namespace LeaseActors.Tests.Kernel;

/// <summary>
/// Layout leases (SEMANTICS.md §2, R45–R49) under the RFC policies: F_LAYOUT is not broken by opens and shares the
/// file with other layout leases; F_GETLEASE reports it; RFC v2's exclusive lease is per process (fl_pid), never
/// broken, makes truncate and other processes' writes fail ETXTBSY (EDEADLOCK in its own process) and outlives its
/// description while pins hold it; RFC v1 breaks it on truncate and then refuses a truncate over pinned blocks.
/// </summary>
public sealed class LayoutSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Theory]
    [InlineData("rfc-v1")]
    [InlineData("rfc-v2")]
    public void A_layout_lease_is_not_broken_by_another_process_opening_the_file_for_writing(string policy)
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            processes {
              A.program = [ { open = data, flags = [O_RDWR], as = f }, { layout-lease = f, label = leased }, { sleep = 1m } ]
              A.handlers.SIGIO = {}
              B.program = [ { wait-for = A.leased }, { open = data, flags = [O_RDWR], as = g, label = opened } ]
            }
            """, policy);

        var opened = report.Step("B", "opened");
        Assert.Null(opened.Errno);
        Assert.Equal(TimeSpan.Zero, opened.Took);
        Assert.Empty(report.SignalsOf("A"));
        Assert.Empty(report.Breaks);
    }

    [Fact]
    public void Under_rfc_v1_layout_leases_of_two_processes_coexist_on_one_file()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            processes {
              A.program = [ { open = data, flags = [O_RDWR], as = f }, { fcntl = F_SETLEASE, fd = f, arg = 16, label = leased }, { sleep = 1m } ]
              B.program = [ { wait-for = A.leased }, { open = data, flags = [O_RDWR], as = g }, { fcntl = F_SETLEASE, fd = g, arg = F_LAYOUT, label = leased }, { sleep = 1m } ]
            }
            """, "rfc-v1");

        Assert.Null(report.Step("A", "leased").Errno);
        Assert.Null(report.Step("B", "leased").Errno);
        Assert.Equal(2, report.Events("lease.added").Count());
        Assert.DoesNotContain(report.Events("lease.removed"), e => e.Time < TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("rfc-v1", 16)]
    [InlineData("rfc-v2", 48)]
    [InlineData("lease-per-holder", 16)]
    public void F_GETLEASE_reports_F_LAYOUT_and_F_LAYOUT_or_F_EXCLUSIVE_under_rfc_v2(string policy, long expected)
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            processes.A.program = [
              { open = data, flags = [O_RDWR], as = f }
              { layout-lease = f }
              { fcntl = F_GETLEASE, fd = f, label = get }
            ]
            """, policy);

        Assert.Equal(expected, report.Step("A", "get").Value);
    }

    [Fact]
    public void Under_rfc_v2_a_process_that_received_the_leased_fd_cannot_pin_EPERM_but_the_lease_taker_can()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            sockets.ab = [A, B]
            processes {
              A.program = [
                { open = data, flags = [O_RDWR], as = f }
                { layout-lease = f }
                { sendmsg = ab, fds = [f] }
                { mmap = f, as = m }
                { verbs-open = true, as = ctx }
                { reg-mr = m, context = ctx, as = mine, label = registered }
                { sleep = 1m }
              ]
              B.program = [
                { recvmsg = ab, fds = [g] }
                { mmap = g, as = m }
                { verbs-open = true, as = ctx }
                { reg-mr = m, context = ctx, as = theirs, label = registered }
              ]
            }
            """, "rfc-v2");

        Assert.Null(report.Step("A", "registered").Errno);
        Assert.Equal("EPERM", report.Step("B", "registered").Errno);
        Assert.Contains(report.Refusals, r => r.StartsWith("B:", StringComparison.Ordinal) && r.Contains("EPERM", StringComparison.Ordinal));
    }

    private const string ExclusiveHolder = RdmaSupport.DaxFile + """

        processes {
          A.program = [
            { open = data, flags = [O_RDWR], as = f }
            { layout-lease = f }
            { mmap = f, as = m }
            { verbs-open = true, as = ctx }
            { reg-mr = m, context = ctx, as = mr, label = registered }
            { sleep = 1s }
            { truncate = data, length = 0, label = own-truncate }
            { write = f, bytes = 4KiB, label = own-write }
            { sleep = 1m }
          ]
          A.handlers.SIGIO = {}
          B.program = [
            { wait-for = A.registered }
            { truncate = data, length = 0, label = truncate }
            { open = data, flags = [O_RDWR], as = g }
            { write = g, bytes = 4KiB, label = write }
          ]
        }
        """;

    [Fact]
    public void Under_rfc_v2_a_truncate_by_another_process_fails_ETXTBSY_at_once_and_no_signal_is_sent()
    {
        var report = fixture.RunText(ExclusiveHolder, "rfc-v2");

        var truncate = report.Step("B", "truncate");
        Assert.Equal("ETXTBSY", truncate.Errno);
        Assert.Equal(TimeSpan.Zero, truncate.Took);
        Assert.Empty(report.SignalsOf("A"));
        Assert.Empty(report.Breaks);
        Assert.Empty(report.BlocksOf("blocks.freed", "/mnt/pmem/data"));
    }

    [Fact]
    public void Under_rfc_v2_the_lease_holders_own_truncate_fails_EDEADLOCK()
    {
        var report = fixture.RunText(ExclusiveHolder, "rfc-v2");

        Assert.Equal("EDEADLK", report.Step("A", "own-truncate").Errno);
    }

    [Fact]
    public void Under_rfc_v2_another_processs_write_fails_ETXTBSY_and_the_holders_own_write_EDEADLOCK()
    {
        var report = fixture.RunText(ExclusiveHolder, "rfc-v2");

        Assert.Equal("ETXTBSY", report.Step("B", "write").Errno);
        Assert.Equal("EDEADLK", report.Step("A", "own-write").Errno);
        Assert.Equal(Verdict.Refused, report.Verdict);
    }

    [Fact]
    public void Under_rfc_v1_a_write_by_another_process_is_not_a_layout_change()
    {
        var report = fixture.RunText(ExclusiveHolder, "rfc-v1");

        Assert.Null(report.Step("B", "write").Errno);
    }

    private const string Zombie = RdmaSupport.DaxFile + """

        processes {
          A.program = [
            { open = data, flags = [O_RDWR], as = f }
            { layout-lease = f }
            { mmap = f, as = m }
            { verbs-open = true, as = ctx }
            { reg-mr = m, context = ctx, as = mr }
            { munmap = m }
            { close = f, label = closed }
            { sleep = 1m }
            { dereg-mr = mr, label = deregistered }
            { sleep = 1m }
          ]
          B.program = [
            { wait-for = A.closed }
            { truncate = data, length = 0, label = while-pinned }
            { wait-for = A.deregistered }
            { truncate = data, length = 0, label = after-dereg }
          ]
        }
        """;

    [Fact]
    public void Under_rfc_v2_closing_and_unmapping_the_data_fd_leaves_a_zombie_lease_that_goes_with_the_region()
    {
        var report = fixture.RunText(Zombie, "rfc-v2");

        var closed = report.Step("A", "closed").At;
        var deregistered = report.Step("A", "deregistered").At;
        Assert.Equal("ETXTBSY", report.Step("B", "while-pinned").Errno);
        Assert.Null(report.Step("B", "after-dereg").Errno);
        var removed = Assert.Single(report.Events("lease.removed"));
        Assert.True(removed.Time > closed, $"the lease went at {removed.Time} with the close at {closed}");
        Assert.Equal(deregistered, removed.Time);
    }

    [Fact]
    public void Under_rfc_v1_closing_the_data_fd_ends_the_layout_lease_at_once()
    {
        var report = fixture.RunText(Zombie, "rfc-v1");

        var removed = Assert.Single(report.Events("lease.removed"));
        Assert.Equal(report.Step("A", "closed").At, removed.Time);
    }

    private const string V1Break = RdmaSupport.DaxFile + """

        sysctl.lease-break-time = 45s
        processes {
          A.program = [
            { open = data, flags = [O_RDWR], as = f }
            { layout-lease = f }
            { mmap = f, as = m }
            { verbs-open = true, as = ctx }
            { reg-mr = m, context = ctx, as = mr, length = 4KiB, label = registered }
            { sleep = 10m }
          ]
          A.handlers.SIGIO = { takes = 10ms, steps = [ { layout-unlock = f, label = unlocked } ] }
          B.program = [
            { wait-for = A.registered }
            { truncate = data, length = LENGTH, label = truncate }
          ]
        }
        """;

    [Fact]
    public void Under_rfc_v1_a_truncate_breaks_the_layout_lease_with_SIGIO_to_its_holder_then_fails_ETXTBSY_while_the_blocks_are_pinned()
    {
        var report = fixture.RunText(V1Break.Replace("LENGTH", "0", StringComparison.Ordinal), "rfc-v1");

        Assert.Equal(["SIGIO"], report.SignalsOf("A"));
        var truncate = report.Step("B", "truncate");
        Assert.Equal("ETXTBSY", truncate.Errno);
        Assert.Equal(TimeSpan.FromMilliseconds(10), truncate.Took);
        var brk = Assert.Single(report.Breaks);
        Assert.Equal(["A"], brk.Notified.ToArray());
        Assert.Equal("Holder", brk.ReleasedBy);
        Assert.Empty(report.BlocksOf("blocks.freed", "/mnt/pmem/data"));
        Assert.Contains(report.Refusals, r => r.StartsWith("B: truncate", StringComparison.Ordinal) && r.Contains("ETXTBSY", StringComparison.Ordinal));
        // The region the lease covered outlives the deadline (H6), so the break is late (DESIGN.md §4), above refused.
        Assert.Contains(report.Findings, f => f.Id == "H6");
        Assert.Equal(Verdict.Late, report.Verdict);
    }

    [Fact]
    public void Under_rfc_v1_a_truncate_of_blocks_no_region_pins_succeeds_once_the_lease_is_released()
    {
        var report = fixture.RunText(V1Break.Replace("LENGTH", "64KiB", StringComparison.Ordinal), "rfc-v1");

        var truncate = report.Step("B", "truncate");
        Assert.Null(truncate.Errno);
        Assert.Equal(TimeSpan.FromMilliseconds(10), truncate.Took);
        Assert.Equal(256 - 16, report.BlocksOf("blocks.freed", "/mnt/pmem/data").Length);
        Assert.Empty(report.Refusals);
        Assert.All(report.Regions, r => Assert.Null(r.FreedUnderMs));
    }
}
