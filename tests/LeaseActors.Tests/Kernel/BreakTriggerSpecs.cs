using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Kernel;

/// <summary>What breaks a lease and what does not (SEMANTICS.md §1.4, §1.5, §4 R23–R30, §5).</summary>
public sealed class BreakTriggerSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly TimeSpan Lbt = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public void R23_truncate_of_the_path_breaks_a_read_lease_like_an_open_for_write_and_completes_after_the_release()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.None.HandleAfter(Sig.SIGIO, TimeSpan.FromSeconds(2), true, S.Lease("f", LeaseType.F_UNLCK, "release")),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "lease"),
                S.Do(new Truncate("/data"), "truncate"),
                S.Do(new Stat("/data"), "size"))
            .Build();

        var run = fixture.Run(scenario);

        var truncate = run.Step("C", "truncate");
        Assert.Null(truncate.Errno);
        Assert.Equal(TimeSpan.FromSeconds(2), truncate.Took);
        Assert.Equal(("SIGIO", "handler"), run.Signals("A").Select(s => (s.Signal, s.Action)).Single());
        Assert.Equal(true, run.Where("lease.break", "breaker", "C").Single().Event["toUnlock"]);
        Assert.Null(run.Step("A", "release").Errno);
        Assert.Equal(0, run.Step("C", "size").Value);
    }

    [Fact]
    public void R25_chmod_utimensat_chown_link_rename_and_unlink_of_the_leased_file_neither_block_nor_signal_the_write_lease_holder()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.WaitFor("B", "unlink"),
                S.GetLease("f", "after"),
                S.Sleep(Long))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Do(new Chmod("/data", 0x1a4), "chmod"),
                S.Do(new Utimensat("/data"), "utimensat"),
                S.Do(new Chown("/data", 0), "chown"),
                S.Do(new Link("/data", "/data.link"), "link"),
                S.Do(new Rename("/data.link", "/data.moved"), "rename"),
                S.Do(new Unlink("/data.moved"), "unlink-link"),
                S.Do(new Rename("/data", "/data.renamed"), "rename-leased"),
                S.Do(new Unlink("/data.renamed"), "unlink"))
            .Build();

        var run = fixture.Run(scenario);

        foreach (var label in new[] { "chmod", "utimensat", "chown", "link", "rename", "unlink-link", "rename-leased", "unlink" })
        {
            var step = run.Step("B", label);
            Assert.True(step.Errno is null, $"{label}: {step.Errno}");
            Assert.Equal(TimeSpan.Zero, step.Took);
        }
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
        Assert.Empty(run.Events("breaker.blocked"));
        Assert.Equal((long)LeaseType.F_WRLCK, run.Step("A", "after").Value);
    }

    [Fact]
    public void R26_a_holder_that_opens_its_leased_file_again_signals_itself_and_with_O_NONBLOCK_gets_EWOULDBLOCK()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Open("/data", O_RDONLY | O_NONBLOCK, "again", "reopen"),
                S.GetLease("f", "during"),
                S.Sleep(TimeSpan.FromSeconds(1)))
            .Build();

        var run = fixture.Run(scenario);

        var reopen = run.Step("A", "reopen");
        Assert.Equal(nameof(Errno.EAGAIN), reopen.Errno); // EWOULDBLOCK
        Assert.Equal(TimeSpan.Zero, reopen.Took);
        Assert.Equal(("SIGIO", "handler"), run.Signals("A").Select(s => (s.Signal, s.Action)).Single());
        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("A", "during").Value); // a reader's break: downgrade pending
    }

    [Fact]
    public void R27_write_and_ftruncate_through_the_holders_own_description_do_not_break_its_write_lease()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDWR, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Do(new Write("f", 100), "write"),
                S.Do(new Ftruncate("f", 10), "ftruncate"),
                S.Do(new Stat("/data"), "size"),
                S.GetLease("f", "after"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Null(run.Step("A", "lease").Errno);
        Assert.Equal((100L, (string?)null, TimeSpan.Zero), run.Step("A", "write"));
        Assert.Equal((0L, (string?)null, TimeSpan.Zero), run.Step("A", "ftruncate"));
        Assert.Equal(10, run.Step("A", "size").Value);
        Assert.Equal((long)LeaseType.F_WRLCK, run.Step("A", "after").Value);
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
    }

    [Fact]
    public void R28_while_a_break_to_F_UNLCK_is_pending_another_descriptions_new_read_lease_fails_with_EAGAIN()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Long))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK, "before"),
                S.Lease("g", LeaseType.F_UNLCK, "drop"),
                S.Label("ready"),
                S.WaitFor("C", "breaker"),
                S.Lease("g", LeaseType.F_RDLCK, "during"),
                S.GetLease("g", "mine"))
            .Process("C",
                S.WaitFor("B", "ready"),
                // Non-blocking, so no writer stays counted: only the pending unlock can refuse B's lease.
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Null(run.Step("B", "before").Errno);
        Assert.Equal(nameof(Errno.EAGAIN), run.Step("C", "breaker").Errno);
        Assert.Equal(nameof(Errno.EAGAIN), run.Step("B", "during").Errno);
        Assert.Equal((long)LeaseType.F_UNLCK, run.Step("B", "mine").Value);
        Assert.Single(run.Signals("A"));
    }

    [Fact]
    public void R30_an_opener_for_write_signals_every_read_lease_holder_and_returns_only_after_the_last_one_releases()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.None.HandleAfter(Sig.SIGIO, TimeSpan.FromSeconds(1), true, S.Lease("f", LeaseType.F_UNLCK, "release")),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Long))
            .Process("B", 0, Acts.None.HandleAfter(Sig.SIGIO, TimeSpan.FromSeconds(3), true, S.Lease("g", LeaseType.F_UNLCK, "release")),
                S.WaitFor("A", "lease"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("B", "lease"),
                S.Open("/data", O_WRONLY, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Single(run.Signals("A"));
        Assert.Single(run.Signals("B"));
        Assert.Equal(run.At("A", "release") + TimeSpan.FromSeconds(2), run.At("B", "release"));
        Assert.Equal(run.At("B", "release"), run.At("C", "breaker"));
        var breaker = run.Step("C", "breaker");
        Assert.Null(breaker.Errno);
        Assert.Equal(TimeSpan.FromSeconds(3), breaker.Took);
    }

    [Fact]
    public void B04_an_unanswered_reader_break_downgrades_a_write_lease_to_F_RDLCK_even_on_an_O_RDWR_description()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDWR, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.WaitFor("C", "started"),
                S.Sleep(TimeSpan.FromSeconds(1)),
                S.Lease("f", LeaseType.F_RDLCK, "self-downgrade"),
                S.WaitFor("C", "breaker"),
                S.GetLease("f", "after"))
            .Process("C",
                S.WaitFor("A", "lease"),
                S.Label("started"),
                S.Open("/data", O_RDONLY, "r", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(nameof(Errno.EAGAIN), run.Step("A", "self-downgrade").Errno);
        var breaker = run.Step("C", "breaker");
        Assert.Null(breaker.Errno);
        Assert.Equal(Lbt, breaker.Took);
        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("A", "after").Value);
        var changed = run.Events("lease.changed").Single().Event;
        Assert.Equal(("F_WRLCK", "F_RDLCK", "DowngradeTimeout"), ((string?)changed["from"], (string?)changed["to"], (string?)changed["reason"]));
        Assert.DoesNotContain(run.Events("lease.removed"), e => (string?)e.Event["reason"] != nameof(LeaseChangeReason.LastClose));
    }

    [Fact]
    public void B05_an_ignored_O_RDONLY_O_TRUNC_open_waits_the_full_lease_break_time_then_truncates_under_the_remaining_read_lease()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.WaitFor("C", "started"),
                S.Sleep(TimeSpan.FromSeconds(44)),
                S.Do(new Stat("/data"), "size-during"),
                S.WaitFor("C", "breaker"),
                S.Do(new Stat("/data"), "size-after"),
                S.GetLease("f", "after"))
            .Process("C",
                S.WaitFor("A", "lease"),
                S.Label("started"),
                S.Open("/data", O_RDONLY | O_TRUNC, "r", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        var breaker = run.Step("C", "breaker");
        Assert.Null(breaker.Errno);
        Assert.Equal(Lbt, breaker.Took);
        Assert.Equal(4096, run.Step("A", "size-during").Value);
        Assert.Equal(0, run.Step("A", "size-after").Value);
        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("A", "after").Value);
        Assert.Equal(false, run.Where("lease.break", "breaker", "C").Single().Event["toUnlock"]);
    }

    [Fact]
    public void A07_B12_an_O_PATH_open_neither_counts_against_a_write_lease_nor_breaks_one_and_stat_does_not_break()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.WaitFor("B", "path"),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.WaitFor("B", "stat"),
                S.GetLease("f", "after"))
            .Process("B",
                S.Open("/data", O_PATH, "p", "path"),
                S.WaitFor("A", "lease"),
                S.Open("/data", O_PATH, "p2", "again"),
                S.Do(new Stat("/data"), "stat"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Null(run.Step("A", "lease").Errno);
        Assert.Equal((null, TimeSpan.Zero), (run.Step("B", "again").Errno, run.Step("B", "again").Took));
        Assert.Equal((4096L, (string?)null, TimeSpan.Zero), run.Step("B", "stat"));
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
        Assert.Equal((long)LeaseType.F_WRLCK, run.Step("A", "after").Value);
    }

    [Fact]
    public void B13_reopening_through_proc_pid_fd_creates_a_new_description_and_breaks_like_any_open()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.None.HandleAfter(Sig.SIGIO, TimeSpan.FromSeconds(1), true, S.Lease("f", LeaseType.F_UNLCK, "release")),
                S.Open("/data", O_RDONLY, "f", "open"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Long))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Open("/proc/100/fd/3", O_RDONLY, "via-proc", "reopen"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(100, run.Pid("A"));
        Assert.Equal(3, run.Step("A", "open").Value);
        var reopen = run.Step("B", "reopen");
        Assert.Null(reopen.Errno);
        Assert.Equal(TimeSpan.FromSeconds(1), reopen.Took);
        Assert.Single(run.Signals("A"));
        var ofds = run.Events("fd.installed").Where(e => (string?)e.Event["path"] == "/data").Select(e => e.Event["ofd"]).Distinct().ToList();
        Assert.Equal(2, ofds.Count); // B got a description of its own
    }

    [Fact]
    public void B10_renaming_another_file_over_the_leased_name_does_not_break_the_lease()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .File("/other")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.WaitFor("B", "open"),
                S.GetLease("f", "after"))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Do(new Rename("/other", "/data"), "rename"),
                S.Open("/data", O_RDWR, "g", "open"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((0L, (string?)null, TimeSpan.Zero), run.Step("B", "rename"));
        Assert.Equal((null, TimeSpan.Zero), (run.Step("B", "open").Errno, run.Step("B", "open").Took)); // the name now leads to the other inode
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
        Assert.Equal((long)LeaseType.F_WRLCK, run.Step("A", "after").Value);
    }

    [Fact]
    public void B07_a_process_that_received_the_leased_description_writes_and_ftruncates_through_it_without_breaking()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDWR, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"]), "send"),
                S.WaitFor("B", "ftruncate"),
                S.GetLease("f", "after"))
            .Process("B",
                S.Do(new RecvMsg("ab", ["g"]), "recv"),
                S.Do(new Write("g", 10), "write"),
                S.Do(new Ftruncate("g", 0), "ftruncate"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((10L, (string?)null, TimeSpan.Zero), run.Step("B", "write"));
        Assert.Equal((0L, (string?)null, TimeSpan.Zero), run.Step("B", "ftruncate"));
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
        Assert.Equal((long)LeaseType.F_WRLCK, run.Step("A", "after").Value);
    }
}
