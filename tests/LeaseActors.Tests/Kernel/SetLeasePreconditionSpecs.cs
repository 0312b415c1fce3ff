using LeaseActors.Files;
using LeaseActors.Leases;
using LeaseActors.Processes;
using static LeaseActors.OpenFlags;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>
/// SEMANTICS.md §1.2: the checks of <c>F_SETLEASE</c> in the kernel's order (<c>do_fcntl</c> → <c>lease_alloc</c> →
/// <c>generic_setlease</c> → <c>generic_add_lease</c>/<c>generic_delete_lease</c>) and the notes under the table.
/// </summary>
public sealed class SetLeasePreconditionSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void A_caller_failing_several_checks_gets_EBADF_for_O_PATH_then_EINVAL_for_a_bad_arg_then_EACCES_then_EINVAL_for_the_file_type_then_EAGAIN()
    {
        // The caller owns nothing here and has no CAP_LEASE: the ownership check would fail every request.
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data", owner: 1000)
            .File("/dir", owner: 1000, type: FileType.Directory)
            .Process("Stranger", 2000, null,
                S.Open("/data", O_PATH, "p"),
                S.Do(new SetLease("p", 42), "path-bad-arg"),
                S.Open("/data", O_RDWR, "rw"),
                S.Do(new SetLease("rw", 42), "bad-arg"),
                S.Lease("rw", LeaseType.F_RDLCK, "rd-on-writable"),
                S.Lease("rw", LeaseType.F_UNLCK, "unlck-without-lease"),
                S.Open("/dir", O_RDONLY, "d"),
                S.Do(new SetLease("d", 42), "dir-bad-arg"),
                S.Lease("d", LeaseType.F_RDLCK, "dir"))
            .Process("Owner", 1000, null,
                S.WaitFor("Stranger", "dir"),
                S.Open("/dir", O_RDONLY, "d"),
                S.Lease("d", LeaseType.F_RDLCK, "dir"),
                S.Open("/data", O_RDWR, "rw"),
                S.Lease("rw", LeaseType.F_RDLCK, "rd-on-writable"),
                S.Lease("rw", LeaseType.F_UNLCK, "unlck-without-lease"))
            .Build());

        run.Fails("Stranger", "path-bad-arg", Errno.EBADF);
        run.Fails("Stranger", "bad-arg", Errno.EINVAL);
        run.Fails("Stranger", "rd-on-writable", Errno.EACCES);
        run.Fails("Stranger", "unlck-without-lease", Errno.EACCES);
        run.Fails("Stranger", "dir-bad-arg", Errno.EINVAL);
        run.Fails("Stranger", "dir", Errno.EACCES);
        // The owner passes the ownership check and meets the later ones.
        run.Fails("Owner", "dir", Errno.EINVAL);
        run.Fails("Owner", "rd-on-writable", Errno.EAGAIN);
        run.Fails("Owner", "unlck-without-lease", Errno.EAGAIN);
    }

    [Fact]
    public void With_leases_enable_0_a_request_that_conflicts_with_an_open_still_gets_EAGAIN_not_EINVAL()
    {
        // check_conflicting_open runs before the leases_enable test in generic_add_lease.
        var run = fixture.Run(new ScenarioBuilder()
            .Options(o => o with { LeasesEnable = false })
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDWR, "rw"),
                S.Lease("rw", LeaseType.F_RDLCK, "rd-on-writable"),
                S.Open("/data", O_RDONLY, "r"),
                S.Lease("r", LeaseType.F_WRLCK, "wr-with-another-open"))
            .Build());

        run.Fails("A", "rd-on-writable", Errno.EAGAIN);
        run.Fails("A", "wr-with-another-open", Errno.EAGAIN);
    }

    [Fact]
    public void A_socket_is_not_a_regular_file_and_gets_EINVAL()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .Process("A",
                S.Do(new SocketPair("s0", "s1")),
                S.Lease("s0", LeaseType.F_RDLCK, "rd"),
                S.Lease("s1", LeaseType.F_WRLCK, "wr"))
            .Build());

        run.Fails("A", "rd", Errno.EINVAL);
        run.Fails("A", "wr", Errno.EINVAL);
    }

    [Fact]
    public void The_ownership_check_applies_to_F_UNLCK_of_an_existing_lease_so_a_sharer_that_is_neither_owner_nor_CAP_LEASE_cannot_release_it()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data", owner: 1000)
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Fork("K", Program.Of(
                    S.Do(new Setuid(2000)),
                    S.Lease("f", LeaseType.F_UNLCK, "unlock"),
                    S.Close("f", "closed")))),
                S.WaitFor("K", "closed"),
                S.GetLease("f", "still"))
            .Build());

        run.Returns("A", "lease", 0);
        run.Fails("K", "unlock", Errno.EACCES);
        run.Returns("K", "closed", 0);
        run.Returns("A", "still", RD);
    }

    [Fact]
    public void A_read_lease_is_refused_with_EAGAIN_while_a_writer_is_blocked_in_a_lease_break_and_only_F_UNLCK_answers_it()
    {
        // B16: the blocked writer's new description already counts in i_writecount.
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Sec(2)),
                S.Lease("f", LeaseType.F_RDLCK, "downgrade"),
                S.GetLease("f", "target"),
                S.Sleep(Sec(1)),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Sleep(Sec(1)))
            .Process("W",
                S.Sleep(Sec(1)),
                S.Open("/data", O_WRONLY, "w", "writer"))
            .Build());

        run.Fails("A", "downgrade", Errno.EAGAIN);
        run.Returns("A", "target", UNLCK);
        run.Returns("A", "release", 0);
        Assert.Equal(Sec(2), run.Took("W", "writer"));
    }

    [Fact]
    public void A_write_lease_is_refused_with_EAGAIN_while_another_description_holds_a_lease()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.WaitFor("B", "lease"),
                S.Lease("f", LeaseType.F_WRLCK, "upgrade"),
                S.GetLease("f", "get"),
                S.Label("done"),
                S.WaitFor("B", "get"))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK, "lease"),
                S.WaitFor("A", "done"),
                S.Lease("g", LeaseType.F_WRLCK, "upgrade"),
                S.GetLease("g", "get"))
            .Build());

        run.Fails("A", "upgrade", Errno.EAGAIN);
        run.Returns("A", "get", RD);
        run.Fails("B", "upgrade", Errno.EAGAIN);
        run.Returns("B", "get", RD);
    }

    [Fact]
    public void A_new_lease_is_refused_with_EAGAIN_while_another_lease_is_unlock_pending_even_with_no_writer_open()
    {
        // The non-blocking writer's counts are dropped when its open fails, so only the pending flag refuses B.
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Sec(2)),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Sleep(Sec(5)))
            .Process("W",
                S.Sleep(Sec(0.5)),
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "nonblocking-writer"))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK, "while-pending"),
                S.Sleep(Sec(2)),
                S.Lease("g", LeaseType.F_RDLCK, "after-release"))
            .Build());

        run.Fails("W", "nonblocking-writer", ErrnoAliases.EWOULDBLOCK);
        run.Fails("B", "while-pending", Errno.EAGAIN);
        run.Returns("A", "release", 0);
        run.Returns("B", "after-release", 0);
    }

    [Fact]
    public void With_leases_enable_0_an_existing_lease_can_still_be_downgraded_upgraded_and_released_but_not_created_again()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "wr"),
                Sysctl("leases-enable", 0, "disable"),
                S.Lease("f", LeaseType.F_RDLCK, "downgrade"),
                S.GetLease("f", "downgraded"),
                S.Lease("f", LeaseType.F_WRLCK, "upgrade"),
                S.GetLease("f", "upgraded"),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Lease("f", LeaseType.F_RDLCK, "new"),
                S.GetLease("f", "none"))
            .Build());

        run.Returns("A", "disable", 0);
        run.Returns("A", "downgrade", 0);
        run.Returns("A", "downgraded", RD);
        run.Returns("A", "upgrade", 0);
        run.Returns("A", "upgraded", WR);
        run.Returns("A", "release", 0);
        run.Fails("A", "new", Errno.EINVAL);
        run.Returns("A", "none", UNLCK);
    }

    [Fact]
    public void F_SETLEASE_makes_the_caller_the_owner_of_a_description_without_one_and_a_later_F_SETLEASE_by_a_sharer_does_not_take_over()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new GetOwn("f"), "owner-before"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new GetOwn("f"), "owner"),
                S.Do(new Fork("K", Program.Of(
                    S.Lease("f", LeaseType.F_RDLCK, "relock"),
                    S.Do(new GetOwn("f"), "owner-seen-by-child")))),
                S.WaitFor("K", "owner-seen-by-child"),
                S.Do(new GetOwn("f"), "owner-after"))
            .Build());

        var a = run.Pid("A");
        run.Returns("A", "owner-before", 0);
        run.Returns("A", "owner", a);
        run.Returns("K", "relock", 0);
        run.Returns("K", "owner-seen-by-child", a);
        run.Returns("A", "owner-after", a);
    }

    [Fact]
    public void F_SETLEASE_does_not_take_over_an_owner_slot_whose_process_has_exited_so_the_break_signal_is_lost()
    {
        // f_modown(force = 0) replaces the owner only when f_owner.pid is NULL; a dead owner's struct pid is not.
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("X",
                S.Label("alive"),
                S.Sleep(Sec(1)))
            .Process("A", 0, CatchesSigio,
                S.WaitFor("X", "alive"),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SetOwn("f", "X"), "setown"),
                S.WaitFor("X", "exited"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new GetOwn("f"), "owner"),
                S.Sleep(TimeSpan.FromMinutes(2)))
            .Process("C",
                S.WaitFor("A", "owner"),
                S.Open("/data", O_WRONLY, "w", "breaker"))
            .Build());

        run.Returns("A", "setown", 0);
        run.Returns("A", "lease", 0);
        run.Returns("A", "owner", 0); // F_GETOWN of an exited owner reads 0 (D02), and A did not become the owner
        Assert.Empty(run.Signals("A"));
        Assert.Contains(run.Events("signal.lost"), e => (string?)e.Event["reason"] == "owner exited");
        Assert.Equal(Lbt, run.Took("C", "breaker"));
    }
}
