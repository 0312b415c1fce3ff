using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>SEMANTICS.md §1.5 and §5 cases C12, C16: the steps and timeouts of <c>__break_lease</c>.</summary>
public sealed class BreakProtocolSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void A_non_blocking_breaker_leaves_the_lease_breaking_with_its_timer_running_so_a_later_blocking_breaker_waits_only_the_rest()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(20)),
                S.GetLease("f", "breaking"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("W",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "nonblocking"))
            .Process("C",
                S.Sleep(Sec(31)),
                S.Open("/data", O_WRONLY, "w", "blocking"))
            .Build());

        run.Fails("W", "nonblocking", ErrnoAliases.EWOULDBLOCK);
        Assert.Equal(TimeSpan.Zero, run.Step("W", "nonblocking").Took);
        run.Returns("A", "breaking", UNLCK);
        Assert.Equal(Sec(15), run.Took("C", "blocking")); // deadline 1 s + 45 s
        Assert.Single(run.Signals("A"));                   // the second breaker does not signal again
        Assert.Equal([Sec(46)], run.LeaseEvents("lease.removed", "BreakTimeout"));
    }

    [Fact]
    public void An_expired_break_is_applied_by_the_next_lease_request_or_open_but_not_by_the_holders_F_UNLCK()
    {
        // Every run: a non-blocking writer starts an unlock break at 1 s (deadline 46 s); nobody looks until 60 s.
        ScenarioBuilder Expiring() => new ScenarioBuilder()
            .File("/data")
            .Process("W",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "nonblocking"));

        // generic_add_lease runs time_out_leases before its walk, so the unlock-pending lease no longer refuses B.
        var add = fixture.Run(Expiring()
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("B",
                S.Sleep(Sec(2)),
                S.Open("/data", O_RDONLY, "g"), // before the deadline, so the request below is the first to look
                S.Sleep(Sec(58)),
                S.Lease("g", LeaseType.F_RDLCK, "new-lease"))
            .Build());

        add.Returns("B", "new-lease", 0);
        Assert.Equal([Sec(60)], add.LeaseEvents("lease.removed", "BreakTimeout"));

        // __break_lease runs it first too: a non-blocking reader against the expired write lease gets through.
        var open = fixture.Run(Expiring()
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("R",
                S.Sleep(Sec(60)),
                S.Open("/data", O_RDONLY | O_NONBLOCK, "r", "reader"))
            .Build());

        open.Succeeds("R", "reader");
        Assert.Equal([Sec(60)], open.LeaseEvents("lease.removed", "BreakTimeout"));

        // generic_delete_lease does not: the holder's F_UNLCK still finds its lease and removes it (0, not EAGAIN).
        var delete = fixture.Run(Expiring()
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(60)),
                S.Lease("f", LeaseType.F_UNLCK, "late-release"))
            .Build());

        delete.Returns("A", "late-release", 0);
        Assert.Equal([Sec(60)], delete.LeaseEvents("lease.removed", "Holder"));
        Assert.Empty(delete.LeaseEvents("lease.removed", "BreakTimeout"));
    }

    [Fact]
    public void With_several_conflicting_leases_the_breaker_waits_for_all_of_them_even_after_one_holder_released()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, ScenarioBuilder.Handles(Sig.SIGIO, Sec(2), false, S.Lease("f", LeaseType.F_UNLCK)),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("B", 0, IgnoresSigio,
                S.WaitFor("A", "lease"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("W",
                S.WaitFor("B", "lease"),
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDWR, "w", "writer"))
            .Build());

        Assert.Equal(Lbt, run.Took("W", "writer"));
        Assert.Equal(["handler"], run.Signals("A").Select(s => s.Action));
        Assert.Equal(["ignored"], run.Signals("B").Select(s => s.Action));
        Assert.Equal([Sec(3)], run.LeaseEvents("lease.removed", "Holder"));
        Assert.Equal([Sec(46)], run.LeaseEvents("lease.removed", "BreakTimeout"));
    }

    [Fact]
    public void With_lease_break_time_0_a_readers_downgrade_is_never_forced_either()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .Options(o => o with { LeaseBreakTime = TimeSpan.Zero })
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(50)),
                S.GetLease("f", "still-pending"),
                S.Lease("f", LeaseType.F_RDLCK, "downgrade"),
                S.Sleep(Sec(1)))
            .Process("R",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY, "r", "reader"))
            .Build());

        Assert.Equal(TimeSpan.FromMinutes(50) - Sec(1), run.Took("R", "reader"));
        run.Returns("A", "still-pending", RD);
        Assert.Empty(run.LeaseEvents("lease.changed", "DowngradeTimeout"));
        Assert.Equal([0L], run.Events("lease.break").Select(e => (long)e.Event["deadlineUs"]!));
    }

    [Fact]
    public void A_downgrade_pending_lease_is_signalled_again_by_a_writer_but_not_by_further_readers_or_writers()
    {
        // B5, B17: reader breakers skip any breaking lease, writer breakers skip unlock-pending ones.
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Sec(10)),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Sleep(Sec(1)))
            .Process("R1", S.Sleep(Sec(1)), S.Open("/data", O_RDONLY, "r", "open"))
            .Process("R2", S.Sleep(Sec(2)), S.Open("/data", O_RDONLY, "r", "open"))
            .Process("W1", S.Sleep(Sec(3)), S.Open("/data", O_WRONLY, "w", "open"))
            .Process("W2", S.Sleep(Sec(4)), S.Open("/data", O_WRONLY, "w", "open"))
            .Process("R3", S.Sleep(Sec(5)), S.Open("/data", O_RDONLY, "r", "open"))
            .Build());

        Assert.Equal(["handler", "handler"], run.Signals("A").Select(s => s.Action));
        Assert.Equal([Sec(1), Sec(3)], run.Events("signal.sent").Where(e => (string?)e.Event["to"] == "A").Select(e => e.Time));
        Assert.Equal(Sec(9), run.Took("R1", "open"));
        Assert.Equal(Sec(8), run.Took("R2", "open"));
        Assert.Equal(Sec(7), run.Took("W1", "open"));
        Assert.Equal(Sec(6), run.Took("W2", "open"));
        Assert.Equal(Sec(5), run.Took("R3", "open"));

        // A write lease broken by a writer first (unlock-pending, not downgrade-pending): a reader adds no signal.
        var writerFirst = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Sec(10)),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Sleep(Sec(1)))
            .Process("W", S.Sleep(Sec(1)), S.Open("/data", O_WRONLY, "w", "open"))
            .Process("R", S.Sleep(Sec(2)), S.Open("/data", O_RDONLY, "r", "open"))
            .Build());

        Assert.Single(writerFirst.Signals("A"));
        Assert.Equal(Sec(9), writerFirst.Took("W", "open"));
        Assert.Equal(Sec(8), writerFirst.Took("R", "open"));
    }

    [Fact]
    public void F_RDLCK_does_not_answer_a_writers_break_it_returns_0_but_the_lease_stays_unlock_pending_until_F_UNLCK_or_the_deadline()
    {
        // truncate(path) breaks as a writer without taking open counts, so check_conflicting_open lets F_RDLCK
        // through; lease_modify(F_RDLCK) clears only FL_DOWNGRADE_PENDING.
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(2)),
                S.Lease("f", LeaseType.F_RDLCK, "answer-rdlck"),
                S.GetLease("f", "still-pending"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("T",
                S.Sleep(Sec(1)),
                S.Do(new Truncate("/data", 0), "truncate"))
            .Build());

        run.Returns("A", "answer-rdlck", 0);
        run.Returns("A", "still-pending", UNLCK);
        Assert.Equal(Lbt, run.Took("T", "truncate"));
        Assert.Equal([Sec(46)], run.LeaseEvents("lease.removed", "BreakTimeout"));
    }

    [Fact]
    public void C12_all_breakers_of_one_phase_share_the_deadline_set_by_the_first()
    {
        // Writers against a read lease: unlock at 1 s + 45 s for both.
        var writers = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("B", S.Sleep(Sec(1)), S.Open("/data", O_WRONLY, "w", "open"))
            .Process("C", S.Sleep(Sec(11)), S.Open("/data", O_WRONLY, "w", "open"))
            .Build());

        Assert.Equal(Lbt, writers.Took("B", "open"));
        Assert.Equal(Lbt - Sec(10), writers.Took("C", "open"));
        Assert.Single(writers.Signals("A"));

        // Readers against a write lease: downgrade at 1 s + 45 s for both.
        var readers = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("B", S.Sleep(Sec(1)), S.Open("/data", O_RDONLY, "r", "open"))
            .Process("C", S.Sleep(Sec(11)), S.Open("/data", O_RDONLY, "r", "open"))
            .Build());

        Assert.Equal(Lbt, readers.Took("B", "open"));
        Assert.Equal(Lbt - Sec(10), readers.Took("C", "open"));
        Assert.Single(readers.Signals("A"));
        Assert.Equal([Sec(46)], readers.LeaseEvents("lease.changed", "DowngradeTimeout"));
    }

    [Fact]
    public void C16_changing_lease_break_time_does_not_change_a_pending_breaks_deadline_only_later_breaks()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "first"),
                S.WaitFor("B", "closed"),
                S.Lease("f", LeaseType.F_RDLCK, "second"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY, "w", "breaker"),
                S.Close("w", "closed"))
            .Process("Admin",
                S.Sleep(Sec(5)),
                Sysctl("lease-break-time", 10, "shorten"))
            .Process("C",
                S.WaitFor("A", "second"),
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY, "w", "late-breaker"))
            .Build());

        run.Returns("Admin", "shorten", 0);
        Assert.Equal(Lbt, run.Took("B", "breaker"));
        run.Returns("A", "second", 0);
        Assert.Equal(Sec(10), run.Took("C", "late-breaker"));
    }
}
