using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Kernel;

/// <summary>
/// How long a lease lives and who shares it: references to the description (fds, dups, fork, SCM_RIGHTS in flight,
/// mappings), exit and execve (SEMANTICS.md §1.6, §1.8, §4 R36/R40/R41, §5 A10/E02/D17/A17).
/// </summary>
public sealed class LifetimeSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly TimeSpan Lbt = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private static List<(TimeSpan Time, string? Path, string? Reason)> Removals(TraceView run) =>
        [.. run.Events("lease.removed").Select(e => (e.Time, (string?)e.Event["path"], (string?)e.Event["reason"]))];

    [Fact]
    public void R36_a_forked_child_sees_and_can_release_the_shared_lease_while_the_break_signal_goes_to_the_parent()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Fork("K", [
                    S.GetLease("f", "seen"),
                    S.WaitFor("C", "started"),
                    S.Sleep(TimeSpan.FromSeconds(2)),
                    S.Lease("f", LeaseType.F_UNLCK, "release"),
                    S.Sleep(Long)])),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("K", "seen"),
                S.Label("started"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("K", "seen").Value);
        Assert.Null(run.Step("K", "release").Errno);
        Assert.Equal((null, TimeSpan.FromSeconds(2)), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Single(run.Signals("A"));
        Assert.Empty(run.Signals("K")); // K inherited the handler: a signal there would show
    }

    [Fact]
    public void R40_closing_one_dup_keeps_the_lease_the_last_close_removes_it_and_a_shared_mapping_keeps_it_until_munmap()
    {
        var scenario = new ScenarioBuilder()
            .File("/a")
            .File("/b")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/a", O_RDONLY, "f"),
                S.Do(new Dup("f", "g")),
                S.Lease("f", LeaseType.F_WRLCK, "lease-a"),
                S.Close("f", "close-one"),
                S.GetLease("g", "after-one"),
                S.Close("g", "close-last"),
                S.Open("/b", O_RDONLY, "h"),
                S.Lease("h", LeaseType.F_WRLCK, "lease-b"),
                S.Do(new Mmap("h", Shared: true, As: "m")),
                S.Close("h", "close-mapped"),
                S.Sleep(TimeSpan.FromSeconds(5)),
                S.Do(new Munmap("m"), "munmap"),
                S.Sleep(Long))
            .Process("B",
                S.WaitFor("A", "close-last"),
                S.Open("/a", O_RDWR, "w", "open-a"))
            .Process("C",
                S.WaitFor("A", "close-mapped"),
                S.Open("/b", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((long)LeaseType.F_WRLCK, run.Step("A", "after-one").Value);
        Assert.Equal((null, TimeSpan.Zero), (run.Step("B", "open-a").Errno, run.Step("B", "open-a").Took));
        Assert.Empty(run.Where("lease.break", "path", "/a"));
        var breaker = run.Step("C", "breaker");
        Assert.Equal((null, TimeSpan.FromSeconds(5)), (breaker.Errno, breaker.Took));
        Assert.Equal([(run.At("A", "close-last"), "/a", "LastClose"), (run.At("A", "munmap"), "/b", "LastClose")], Removals(run));
    }

    [Fact]
    public void R41_SIGKILL_of_the_sole_holder_releases_the_lease_at_exit_and_the_blocked_breaker_proceeds_at_once()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "lease"),
                S.Label("started"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Process("K",
                S.WaitFor("C", "started"),
                S.Sleep(TimeSpan.FromSeconds(3)),
                S.Do(new Kill("A", Sig.SIGKILL), "kill"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((null, TimeSpan.FromSeconds(3)), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Equal("SIGKILL", run.ExitOf("A").Signal);
        Assert.Equal([(TimeSpan.FromSeconds(3), "/data", "LastClose")], Removals(run));
    }

    [Fact]
    public void A10_a_shared_mapping_whose_fd_was_closed_still_counts_as_an_open_against_a_write_lease()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("B",
                S.Open("/data", O_RDONLY, "g"),
                S.Do(new Mmap("g", Shared: true, As: "m")),
                S.Close("g", "closed"),
                S.WaitFor("A", "denied"),
                S.Do(new Munmap("m"), "unmapped"))
            .Process("A",
                S.WaitFor("B", "closed"),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "denied"),
                S.WaitFor("B", "unmapped"),
                S.Lease("f", LeaseType.F_WRLCK, "granted"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(nameof(Errno.EAGAIN), run.Step("A", "denied").Errno);
        Assert.Null(run.Step("A", "granted").Errno);
    }

    [Fact]
    public void E02_a_mapping_keeps_the_description_and_its_lease_so_the_holder_is_still_signalled_and_munmap_releases_it()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.None.HandleAfter(Sig.SIGIO, TimeSpan.FromSeconds(2), true, S.Do(new Munmap("m"), "munmap")),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Do(new Mmap("f", Shared: true, As: "m")),
                S.Close("f", "closed"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "closed"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Single(run.Signals("A"));
        Assert.Equal((null, TimeSpan.FromSeconds(2)), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Equal([(run.At("A", "munmap"), "/data", "LastClose")], Removals(run));
    }

    [Fact]
    public void D17_an_unreceived_SCM_RIGHTS_message_holds_the_description_until_the_receiving_socket_closes_and_then_the_lease_goes_at_once()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"]), "send"),
                S.Close("f", "closed"),
                S.WaitFor("C", "started"),
                S.Sleep(TimeSpan.FromSeconds(2)),
                S.Close("ab", "close-sender-end"),
                S.Sleep(Long))
            .Process("B",
                S.WaitFor("C", "started"),
                S.Sleep(TimeSpan.FromSeconds(5)),
                S.Close("ab", "close-receiver-end"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "closed"),
                S.Label("started"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        Assert.Single(run.Signals("A"));
        Assert.Equal((null, TimeSpan.FromSeconds(5)), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Single(run.Events("socket.dropped"));
        Assert.Equal([(TimeSpan.FromSeconds(5), "/data", "LastClose")], Removals(run));
    }

    [Fact]
    public void Dup_shares_the_lease_and_si_fd_stays_the_F_SETLEASE_number_even_after_that_fd_is_closed()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGRTMIN),
                S.Open("/data", O_RDONLY, "f", "open"),
                S.Do(new SetSig("f", Sig.SIGRTMIN)),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Dup("f", "g"), "dup"),
                S.Close("f"),
                S.GetLease("g", "seen"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "seen"),
                S.Open("/data", O_WRONLY | O_NONBLOCK, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("A", "seen").Value);
        var signal = run.Delivered("A").Single();
        Assert.Equal(run.Step("A", "open").Value, signal.Fd); // a closed fd number: stale (H5)
        Assert.NotEqual(run.Step("A", "dup").Value, signal.Fd);
    }

    [Fact]
    public void SCM_RIGHTS_receiver_modifies_the_same_lease_with_F_SETLEASE_on_its_own_fd()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"])),
                S.WaitFor("B", "upgrade"),
                S.GetLease("f", "seen"))
            .Process("B",
                S.Do(new RecvMsg("ab", ["g"]), "recv"),
                S.Lease("g", LeaseType.F_WRLCK, "upgrade"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        Assert.Null(run.Step("B", "upgrade").Errno);
        Assert.Equal((long)LeaseType.F_WRLCK, run.Step("A", "seen").Value);
        Assert.Single(run.Events("lease.added"));
        var changed = run.Events("lease.changed").Single().Event;
        Assert.Equal(("F_RDLCK", "F_WRLCK"), ((string?)changed["from"], (string?)changed["to"]));
    }

    [Fact]
    public void Execve_keeps_the_fd_and_the_lease_and_the_new_program_with_default_SIGIO_is_killed_by_the_break()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Execve([S.GetLease("f", "after-exec"), S.Do(new GetOwn("f"), "owner"), S.Sleep(Long)]), "exec"))
            .Process("C",
                S.WaitFor("A", "owner"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("A", "after-exec").Value);
        Assert.Equal(run.Pid("A"), run.Step("A", "owner").Value);
        Assert.Equal([("SIGIO", "terminated")], run.Signals("A").Select(s => (s.Signal, s.Action)));
        Assert.Equal("SIGIO", run.ExitOf("A").Signal);
        Assert.Equal((null, TimeSpan.Zero), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
    }

    [Fact]
    public void Execve_closes_an_FD_CLOEXEC_fd_and_with_it_the_last_reference_and_the_lease()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY | O_CLOEXEC, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Execve([S.GetLease("f", "after-exec"), S.Sleep(Long)]), "exec"))
            .Process("C",
                S.WaitFor("A", "exec"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(nameof(Errno.EBADF), run.Step("A", "after-exec").Errno);
        Assert.Equal([(run.At("A", "exec"), "/data", "LastClose")], Removals(run));
        Assert.Equal((null, TimeSpan.Zero), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Empty(run.Signals("A"));
    }

    [Fact]
    public void A17_leases_enable_0_refuses_new_leases_only_while_an_existing_one_still_changes_breaks_signals_and_times_out()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(TimeSpan.FromSeconds(2)),
                S.Lease("f", LeaseType.F_RDLCK, "change"),
                S.GetLease("f", "changed"),
                S.Sleep(Long))
            .Process("B",
                S.Sleep(TimeSpan.FromSeconds(3)),
                S.Open("/data", O_RDONLY, "g", "open"),
                S.Lease("g", LeaseType.F_RDLCK, "new"))
            .Process("C",
                S.Sleep(TimeSpan.FromSeconds(4)),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario, new Script().Sysctls(TimeSpan.FromSeconds(1), leasesEnable: false));

        Assert.Null(run.Step("A", "lease").Errno);
        Assert.Null(run.Step("A", "change").Errno);
        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("A", "changed").Value);
        Assert.Equal((null, TimeSpan.Zero), (run.Step("B", "open").Errno, run.Step("B", "open").Took));
        Assert.Equal(nameof(Errno.EINVAL), run.Step("B", "new").Errno);
        Assert.Single(run.Signals("A"));
        Assert.Equal((null, Lbt), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Contains((TimeSpan.FromSeconds(4) + Lbt, "/data", "BreakTimeout"), Removals(run));
    }
}
