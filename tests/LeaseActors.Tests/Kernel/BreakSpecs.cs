using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>SEMANTICS.md §4 R14–R21: how opens break leases (<c>__break_lease</c>, <c>time_out_leases</c>).</summary>
public sealed class BreakSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void R14_a_reader_open_blocks_the_holder_gets_SIGIO_and_sees_F_RDLCK_pending_and_after_its_downgrade_the_open_returns_and_it_keeps_a_read_lease()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Sec(3)),
                S.GetLease("f", "pending"),
                S.Lease("f", LeaseType.F_RDLCK, "downgrade"),
                S.GetLease("f", "after"),
                S.Sleep(Sec(10)))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY, "r", "reader"))
            .Build());

        Assert.Equal(Sec(2), run.Took("B", "reader"));
        Assert.Equal([("SIGIO", "handler", (long)Sig.SI_KERNEL, 0L)], run.Signals("A"));
        run.Returns("A", "pending", RD);
        run.Returns("A", "downgrade", 0);
        run.Returns("A", "after", RD);
        Assert.Empty(run.Signals("B"));
    }

    [Fact]
    public void R15_a_writer_open_blocks_on_a_read_lease_F_GETLEASE_reads_F_UNLCK_while_pending_and_the_open_returns_after_the_holder_unlocks()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(3)),
                S.GetLease("f", "pending"),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.GetLease("f", "after"),
                S.Sleep(Sec(10)))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY, "w", "writer"))
            .Build());

        Assert.Equal(Sec(2), run.Took("B", "writer"));
        Assert.Equal([("SIGIO", "handler", (long)Sig.SI_KERNEL, 0L)], run.Signals("A"));
        run.Returns("A", "pending", UNLCK);
        run.Returns("A", "release", 0);
        run.Returns("A", "after", UNLCK);
    }

    [Fact]
    public void R16_a_read_lease_is_not_broken_by_an_O_RDONLY_open_no_signal_no_delay()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(2)),
                S.GetLease("f", "after"))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY, "r", "reader"))
            .Build());

        Assert.Equal(TimeSpan.Zero, run.Took("B", "reader"));
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
        run.Returns("A", "after", RD);
    }

    [Fact]
    public void R17_a_breaking_O_NONBLOCK_open_fails_at_once_with_EWOULDBLOCK_but_the_holder_is_signalled_and_the_lease_is_breaking()
    {
        // A reader against a write lease (the lease is now downgrade-pending) ...
        var reader = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Sec(2)),
                S.GetLease("f", "breaking"))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY | O_NONBLOCK, "r", "reader"))
            .Build());

        reader.Fails("B", "reader", ErrnoAliases.EWOULDBLOCK);
        Assert.Equal(TimeSpan.Zero, reader.Step("B", "reader").Took);
        Assert.Equal([("SIGIO", "handler", (long)Sig.SI_KERNEL, 0L)], reader.Signals("A"));
        reader.Returns("A", "breaking", RD);

        // ... and a writer against a read lease (unlock-pending).
        var writer = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(2)),
                S.GetLease("f", "breaking"))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "writer"))
            .Build());

        writer.Fails("B", "writer", ErrnoAliases.EWOULDBLOCK);
        Assert.Equal(TimeSpan.Zero, writer.Step("B", "writer").Took);
        Assert.Single(writer.Signals("A"));
        writer.Returns("A", "breaking", UNLCK);
    }

    public enum Disposition { Catch, Ignore, Block }

    [Theory]
    [InlineData(Disposition.Catch)]
    [InlineData(Disposition.Ignore)]
    [InlineData(Disposition.Block)]
    public void R20_a_holder_that_does_nothing_is_downgraded_after_lease_break_time_by_a_reader_and_loses_the_lease_after_it_to_a_writer(Disposition disposition)
    {
        var prologue = disposition == Disposition.Block
            ? new Step[] { S.Do(new Sigprocmask(MaskHow.SIG_BLOCK, [Sig.SIGIO])) }
            : [];
        var actions = disposition switch
        {
            Disposition.Catch => CatchesSigio,
            Disposition.Ignore => IgnoresSigio,
            _ => null,
        };
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, actions,
                [.. prologue,
                S.Open("/data", O_RDWR, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.WaitFor("B", "reader"),
                S.GetLease("f", "after-reader"),
                S.WaitFor("C", "writer"),
                S.GetLease("f", "after-writer"),
                S.Sleep(Sec(10))])
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY, "r", "reader"))
            .Process("C",
                S.WaitFor("A", "after-reader"),
                S.Open("/data", O_RDWR, "w", "writer"))
            .Build());

        Assert.Equal(Lbt, run.Took("B", "reader"));
        run.Returns("A", "after-reader", RD);
        Assert.Equal(Lbt, run.Took("C", "writer"));
        run.Returns("A", "after-writer", UNLCK);
        Assert.Equal([Sec(1) + Lbt], run.LeaseEvents("lease.changed", "DowngradeTimeout"));
        Assert.Equal([Sec(1) + Lbt + Lbt], run.LeaseEvents("lease.removed", "BreakTimeout"));
        if (disposition == Disposition.Block)
            Assert.Contains(run.Events("signal.pending"), e => (string?)e.Event["process"] == "A" && (string?)e.Event["state"] == "blocked");
        var expected = disposition switch
        {
            Disposition.Catch => new[] { "handler", "handler" },
            Disposition.Ignore => ["ignored", "ignored"],
            _ => [],
        };
        Assert.Equal(expected, run.Signals("A").Select(s => s.Action));
    }

    [Fact]
    public void R21_with_lease_break_time_0_a_blocked_writer_stays_blocked_until_the_holder_releases()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .Options(o => o with { LeaseBreakTime = TimeSpan.Zero })
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(TimeSpan.FromMinutes(50)),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Sleep(Sec(1)))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY, "w", "writer"))
            .Build());

        Assert.Equal(TimeSpan.FromMinutes(50) - Sec(1), run.Took("B", "writer"));
        Assert.Single(run.Signals("A"));
        Assert.Equal([TimeSpan.FromMinutes(50)], run.LeaseEvents("lease.removed", "Holder"));
        Assert.Empty(run.LeaseEvents("lease.removed", "BreakTimeout"));
    }
}
