using LeaseActors.Files;
using LeaseActors.Leases;
using LeaseActors.Processes;
using static LeaseActors.OpenFlags;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>SEMANTICS.md §4 R1–R13: taking, changing and refusing leases (<c>generic_setlease</c>, <c>generic_add_lease</c>).</summary>
public sealed class AcquisitionSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void R1_a_write_lease_on_the_only_open_succeeds_even_through_an_O_RDONLY_fd_and_F_GETLEASE_reports_F_WRLCK()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.GetLease("f", "get"))
            .Build());

        run.Returns("A", "lease", 0);
        run.Returns("A", "get", WR);
    }

    [Fact]
    public void R2_a_write_lease_fails_with_EAGAIN_while_another_description_is_open_even_in_the_same_process_and_succeeds_after_it_closes()
    {
        var sameProcess = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("f", LeaseType.F_WRLCK, "while-open"),
                S.GetLease("f", "none"),
                S.Close("g"),
                S.Lease("f", LeaseType.F_WRLCK, "after-close"),
                S.GetLease("f", "get"))
            .Build());

        sameProcess.Fails("A", "while-open", Errno.EAGAIN);
        sameProcess.Returns("A", "none", UNLCK);
        sameProcess.Returns("A", "after-close", 0);
        sameProcess.Returns("A", "get", WR);

        var otherProcess = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("B",
                S.Open("/data", O_RDONLY, "g", "opened"),
                S.WaitFor("A", "refused"),
                S.Close("g", "closed"))
            .Process("A",
                S.WaitFor("B", "opened"),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "while-open"),
                S.Label("refused"),
                S.WaitFor("B", "closed"),
                S.Lease("f", LeaseType.F_WRLCK, "after-close"))
            .Build());

        otherProcess.Fails("A", "while-open", Errno.EAGAIN);
        otherProcess.Returns("A", "after-close", 0);
    }

    [Fact]
    public void R3_dup_ed_descriptors_share_the_description_so_they_do_not_block_a_write_lease_and_all_report_it()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new Dup("f", "d1")),
                S.Do(new Dup("f", "d2")),
                S.Lease("d1", LeaseType.F_WRLCK, "lease"),
                S.GetLease("f", "via-f"),
                S.GetLease("d1", "via-d1"),
                S.GetLease("d2", "via-d2"))
            .Build());

        run.Returns("A", "lease", 0);
        run.Returns("A", "via-f", WR);
        run.Returns("A", "via-d1", WR);
        run.Returns("A", "via-d2", WR);
    }

    [Theory]
    [InlineData(O_WRONLY)]
    [InlineData(O_RDWR)]
    public void R4_a_read_lease_on_an_fd_opened_for_writing_fails_with_EAGAIN(OpenFlags mode)
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", mode, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.GetLease("f", "get"))
            .Build());

        run.Fails("A", "lease", Errno.EAGAIN);
        run.Returns("A", "get", UNLCK);
    }

    [Fact]
    public void R5_a_read_lease_fails_with_EAGAIN_while_another_description_has_the_file_open_for_writing()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("W",
                S.Open("/data", O_WRONLY, "w", "writing"),
                S.WaitFor("A", "refused"),
                S.Close("w", "closed"))
            .Process("A",
                S.WaitFor("W", "writing"),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "while-writer"),
                S.Label("refused"),
                S.WaitFor("W", "closed"),
                S.Lease("f", LeaseType.F_RDLCK, "after-writer"))
            .Build());

        run.Fails("A", "while-writer", Errno.EAGAIN);
        run.Returns("A", "after-writer", 0);
    }

    [Fact]
    public void R6_two_descriptions_hold_read_leases_on_the_same_file_at_the_same_time()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.WaitFor("B", "lease"),
                S.GetLease("f", "get"))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK, "lease"),
                S.GetLease("g", "get"),
                S.WaitFor("A", "get"))
            .Build());

        run.Returns("A", "lease", 0);
        run.Returns("B", "lease", 0);
        run.Returns("A", "get", RD);
        run.Returns("B", "get", RD);
        Assert.Equal(2, run.Events("lease.added").Count());
    }

    [Fact]
    public void R7_upgrading_a_read_lease_fails_with_EAGAIN_while_another_description_is_open_and_succeeds_once_it_is_the_only_open()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "rd"),
                S.WaitFor("B", "opened"),
                S.Lease("f", LeaseType.F_WRLCK, "upgrade-refused"),
                S.GetLease("f", "unchanged"),
                S.Label("refused"),
                S.WaitFor("B", "closed"),
                S.Lease("f", LeaseType.F_WRLCK, "upgrade"),
                S.GetLease("f", "upgraded"))
            .Process("B",
                S.WaitFor("A", "rd"),
                S.Open("/data", O_RDONLY, "g", "opened"),
                S.WaitFor("A", "refused"),
                S.Close("g", "closed"))
            .Build());

        run.Fails("A", "upgrade-refused", Errno.EAGAIN);
        run.Returns("A", "unchanged", RD);
        run.Returns("A", "upgrade", 0);
        run.Returns("A", "upgraded", WR);
    }

    [Fact]
    public void R8_downgrading_succeeds_on_an_O_RDONLY_description_but_an_O_RDWR_one_gets_EAGAIN_and_keeps_its_write_lease()
    {
        var readOnly = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "wr"),
                S.Lease("f", LeaseType.F_RDLCK, "downgrade"),
                S.GetLease("f", "get"))
            .Build());

        readOnly.Returns("A", "wr", 0);
        readOnly.Returns("A", "downgrade", 0);
        readOnly.Returns("A", "get", RD);

        // O_RDWR: refused outside a break (F_GETLEASE reads F_WRLCK) and during a reader's break (it reads the
        // target F_RDLCK); only F_UNLCK answers the break.
        var readWrite = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDWR, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "wr"),
                S.Lease("f", LeaseType.F_RDLCK, "refused"),
                S.GetLease("f", "outside-break"),
                S.Label("ready"),
                S.Sleep(Sec(2)),
                S.GetLease("f", "during-break"),
                S.Lease("f", LeaseType.F_RDLCK, "refused-during-break"),
                S.Lease("f", LeaseType.F_UNLCK, "release"))
            .Process("B",
                S.WaitFor("A", "ready"),
                S.Sleep(Sec(1)),
                S.Open("/data", O_RDONLY, "r", "reader"))
            .Build());

        readWrite.Returns("A", "wr", 0);
        readWrite.Fails("A", "refused", Errno.EAGAIN);
        readWrite.Returns("A", "outside-break", WR);
        readWrite.Returns("A", "during-break", RD);
        readWrite.Fails("A", "refused-during-break", Errno.EAGAIN);
        readWrite.Returns("A", "release", 0);
        Assert.Equal(Sec(1), readWrite.Took("B", "reader"));
    }

    [Fact]
    public void R9_F_UNLCK_without_a_lease_fails_with_EAGAIN_for_the_owner_and_CAP_LEASE_but_EACCES_for_anyone_else()
    {
        TraceView Unlock(int uid) => fixture.Run(new ScenarioBuilder()
            .File("/data", owner: 1000)
            .Process("P", uid, null,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_UNLCK, "unlock"))
            .Build());

        Unlock(0).Fails("P", "unlock", Errno.EAGAIN);    // root: CAP_LEASE
        Unlock(1000).Fails("P", "unlock", Errno.EAGAIN); // the file's owner
        Unlock(2000).Fails("P", "unlock", Errno.EACCES); // neither
    }

    [Fact]
    public void R10_F_SETLEASE_with_a_value_other_than_F_RDLCK_F_WRLCK_F_UNLCK_fails_with_EINVAL()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SetLease("f", 42), "42"),
                S.Do(new SetLease("f", 16), "F_LAYOUT"),
                S.Do(new SetLease("f", 48), "F_LAYOUT|F_EXCLUSIVE"),
                S.Do(new SetLease("f", 3), "3"),
                S.Do(new SetLease("f", -1), "-1"),
                S.GetLease("f", "get"),
                S.Lease("f", LeaseType.F_WRLCK, "valid"))
            .Build());

        foreach (var label in new[] { "42", "F_LAYOUT", "F_LAYOUT|F_EXCLUSIVE", "3", "-1" })
            run.Fails("A", label, Errno.EINVAL);
        run.Returns("A", "get", UNLCK);
        run.Returns("A", "valid", 0);
    }

    [Fact]
    public void R11_leases_on_a_directory_or_a_pipe_fail_with_EINVAL_and_on_an_O_PATH_fd_with_EBADF()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/dir", type: FileType.Directory)
            .File("/fifo", type: FileType.Pipe)
            .File("/data")
            .Process("A",
                S.Open("/dir", O_RDONLY, "d"),
                S.Lease("d", LeaseType.F_RDLCK, "dir-rd"),
                S.Lease("d", LeaseType.F_WRLCK, "dir-wr"),
                S.Open("/fifo", O_RDONLY | O_NONBLOCK, "p"),
                S.Lease("p", LeaseType.F_RDLCK, "pipe-rd"),
                S.Lease("p", LeaseType.F_WRLCK, "pipe-wr"),
                S.Open("/data", O_PATH, "o"),
                S.Lease("o", LeaseType.F_RDLCK, "path-rd"),
                S.Lease("o", LeaseType.F_WRLCK, "path-wr"),
                S.Lease("o", LeaseType.F_UNLCK, "path-unlck"))
            .Build());

        run.Fails("A", "dir-rd", Errno.EINVAL);
        run.Fails("A", "dir-wr", Errno.EINVAL);
        run.Fails("A", "pipe-rd", Errno.EINVAL);
        run.Fails("A", "pipe-wr", Errno.EINVAL);
        run.Fails("A", "path-rd", Errno.EBADF);
        run.Fails("A", "path-wr", Errno.EBADF);
        run.Fails("A", "path-unlck", Errno.EBADF);
    }

    [Fact]
    public void R12_a_caller_whose_fsuid_is_not_the_file_owner_and_that_lacks_CAP_LEASE_gets_EACCES()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data", owner: 1000)
            .Process("Stranger", 2000, null,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "rd"),
                S.Lease("f", LeaseType.F_WRLCK, "wr"),
                S.GetLease("f", "get"),
                S.Label("done"))
            .Process("Owner", 1000, null,
                S.WaitFor("Stranger", "done"),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "rd"),
                S.Lease("f", LeaseType.F_UNLCK, "unlck"),
                S.Label("done"))
            // Root without CAP_LEASE is a stranger too; the check compares the fsuid, not the uid.
            .Process("Root", 0, null,
                S.WaitFor("Owner", "done"),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "with-cap"),
                S.Lease("f", LeaseType.F_UNLCK, "unlck"),
                S.Do(new SetCapLease(false)),
                S.Lease("f", LeaseType.F_RDLCK, "without-cap"),
                S.Do(new Setfsuid(1000)),
                S.Lease("f", LeaseType.F_RDLCK, "fsuid-is-owner"))
            .Build());

        run.Fails("Stranger", "rd", Errno.EACCES);
        run.Fails("Stranger", "wr", Errno.EACCES);
        run.Returns("Stranger", "get", UNLCK);
        run.Returns("Owner", "rd", 0);
        run.Returns("Root", "with-cap", 0);
        run.Fails("Root", "without-cap", Errno.EACCES);
        run.Returns("Root", "fsuid-is-owner", 0);
    }

    [Fact]
    public void R13_with_leases_enable_0_a_new_lease_request_fails_with_EINVAL()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .Options(o => o with { LeasesEnable = false })
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "rd"),
                S.Lease("f", LeaseType.F_WRLCK, "wr"),
                S.GetLease("f", "get"))
            .Build());

        run.Fails("A", "rd", Errno.EINVAL);
        run.Fails("A", "wr", Errno.EINVAL);
        run.Returns("A", "get", UNLCK);
    }
}
