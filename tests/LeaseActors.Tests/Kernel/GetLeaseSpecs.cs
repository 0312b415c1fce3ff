using LeaseActors.Leases;
using LeaseActors.Processes;
using static LeaseActors.OpenFlags;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>SEMANTICS.md §1.3: what <c>F_GETLEASE</c> reports (<c>fcntl_getlease</c>, <c>target_leasetype</c>).</summary>
public sealed class GetLeaseSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void F_GETLEASE_reports_F_RDLCK_while_a_downgrade_is_pending_and_F_UNLCK_once_a_writer_makes_it_unlock_pending()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.GetLease("f", "held"),
                S.Sleep(Sec(2)),
                S.GetLease("f", "downgrade-pending"),
                S.Sleep(Sec(2)),
                S.GetLease("f", "unlock-pending"),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.GetLease("f", "released"))
            .Process("R",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY | O_NONBLOCK, "r", "reader"))
            .Process("W",
                S.Sleep(Sec(3)),
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "writer"))
            .Build());

        run.Fails("R", "reader", ErrnoAliases.EWOULDBLOCK);
        run.Fails("W", "writer", ErrnoAliases.EWOULDBLOCK);
        run.Returns("A", "held", WR);
        run.Returns("A", "downgrade-pending", RD);
        run.Returns("A", "unlock-pending", UNLCK);
        run.Returns("A", "release", 0); // the lease was still there: F_UNLCK found it
        run.Returns("A", "released", UNLCK);
    }

    [Fact]
    public void F_GETLEASE_applies_an_expired_break_when_it_looks_not_when_the_deadline_passes()
    {
        // Unlock break by a non-blocking writer at 1 s (deadline 46 s); nobody touches the lease list until 60 s.
        var unlock = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(60)),
                S.Do(new GetOwn("f"), "owner-before-look"),
                S.GetLease("f", "look"),
                S.Do(new GetOwn("f"), "owner-after-look"))
            .Process("W",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "writer"))
            .Build());

        unlock.Fails("W", "writer", ErrnoAliases.EWOULDBLOCK);
        unlock.Returns("A", "owner-before-look", unlock.Pid("A")); // the expired lease still holds its owner slot
        unlock.Returns("A", "look", UNLCK);
        unlock.Returns("A", "owner-after-look", 0);
        Assert.Equal([Sec(60)], unlock.LeaseEvents("lease.removed", "BreakTimeout"));

        // Downgrade break by a non-blocking reader at 1 s: applied when F_GETLEASE looks at 60 s.
        var downgrade = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Sec(60)),
                S.GetLease("f", "look"))
            .Process("R",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY | O_NONBLOCK, "r", "reader"))
            .Build());

        downgrade.Fails("R", "reader", ErrnoAliases.EWOULDBLOCK);
        downgrade.Returns("A", "look", RD);
        Assert.Equal([Sec(60)], downgrade.LeaseEvents("lease.changed", "DowngradeTimeout"));
    }

    [Fact]
    public void Another_description_of_the_same_inode_reports_F_UNLCK_while_the_inode_has_a_lease()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Open("/data", O_RDONLY, "g"),
                S.GetLease("g", "other-in-same-process"),
                S.GetLease("f", "mine"),
                S.WaitFor("B", "other-process"))
            .Process("B",
                S.WaitFor("A", "mine"),
                S.Open("/data", O_RDONLY, "h"),
                S.GetLease("h", "other-process"))
            .Build());

        run.Returns("A", "other-in-same-process", UNLCK);
        run.Returns("A", "mine", RD);
        run.Returns("B", "other-process", UNLCK);
    }
}
